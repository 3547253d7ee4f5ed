package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.interop.GoPeer;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Java peers and real Go weaveworks/mesh peers (interop/meshpeer, built against Debian's
 * mesh or {@code -Dinterop.gopath}) in one overlay on loopback.
 */
class GoInteropTest {
    private static final Duration CONVERGENCE = Duration.ofSeconds(20);
    private static final Duration DELIVERY = Duration.ofSeconds(10);

    private final List<JavaPeer> javaPeers = new ArrayList<>();
    private final List<GoPeer> goPeers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        javaPeers.forEach(JavaPeer::close);
        goPeers.forEach(GoPeer::close);
    }

    private JavaPeer java(int i, boolean discovery) {
        JavaPeer p = JavaPeer.start(String.format("0a:00:00:00:00:%02x", i), "java" + i, discovery);
        javaPeers.add(p);
        return p;
    }

    private GoPeer go(int i, String... connectTo) {
        GoPeer p = GoPeer.start(String.format("02:00:00:00:00:%02x", i), "go" + i, 0, List.of(connectTo));
        goPeers.add(p);
        return p;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean goKnowsAndReaches(GoPeer.Status status, String name) {
        GoPeer.PeerStatus peer = status.peer(name);
        return peer != null && peer.uid() != 0 && status.hasRouteTo(name);
    }

    /** Every peer, Java or Go, knows every other with its real UID and has a route to it. */
    private boolean converged() {
        List<String> names = new ArrayList<>();
        javaPeers.forEach(p -> names.add(p.name().toString()));
        goPeers.forEach(p -> names.add(p.name()));
        for (JavaPeer j : javaPeers) {
            for (String name : names) {
                if (!name.equals(j.name().toString()) && !j.knowsAndReaches(PeerName.parse(name))) {
                    return false;
                }
            }
        }
        for (GoPeer g : goPeers) {
            GoPeer.Status status = g.status();
            for (String name : names) {
                if (!name.equals(g.name()) && !goKnowsAndReaches(status, name)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every peer, Java or Go, holds every peer's entry at the version that peer itself has. */
    private boolean viewsAgree() {
        java.util.Map<String, Long> own = new java.util.HashMap<>();
        javaPeers.forEach(j -> own.put(j.name().toString(), j.router.status().version()));
        for (GoPeer g : goPeers) {
            own.put(g.name(), g.status().peer(g.name()).version());
        }
        for (JavaPeer j : javaPeers) {
            RouterStatus status = j.router.status();
            for (var e : own.entrySet()) {
                if (status.peer(PeerName.parse(e.getKey())).map(p -> p.version() != e.getValue()).orElse(true)) {
                    return false;
                }
            }
        }
        for (GoPeer g : goPeers) {
            GoPeer.Status status = g.status();
            for (var e : own.entrySet()) {
                GoPeer.PeerStatus p = status.peer(e.getKey());
                if (p == null || p.version() != e.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void awaitConverged() {
        try {
            await().atMost(CONVERGENCE).pollInterval(Duration.ofMillis(100)).until(this::converged);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder views = new StringBuilder("not converged; the peers' views:");
            javaPeers.forEach(j -> views.append("\njava ").append(j.router.status()));
            goPeers.forEach(g -> views.append("\ngo ").append(g.status()));
            throw new AssertionError(views.toString(), e);
        }
    }

    private static long goCount(GoPeer peer, String type, String source, byte[] data) {
        return peer.received().stream().filter(r -> r.equals(new GoPeer.Received(type, GoPeer.TEST_CHANNEL, source, data))).count();
    }

    @Test
    void aJavaPeerDialsAGoPeerAndBothConfirmTheConnection() {
        GoPeer g = go(1);
        JavaPeer j = java(1, true);
        j.router.connect(List.of(g.address()));

        awaitConverged();
        GoPeer.Status status = g.status();
        assertEquals(j.router.status().uid(), status.peer(j.name().toString()).uid());
        assertEquals(List.of(j.name().toString()), status.establishedNeighbours());
        assertEquals(g.uid(), j.router.status().peer(PeerName.parse(g.name())).orElseThrow().uid());
    }

    @Test
    void aGoPeerDialsAJavaPeerAndBothConfirmTheConnection() {
        JavaPeer j = java(1, true);
        GoPeer g = go(1, j.address());

        awaitConverged();
        assertEquals(List.of(j.name().toString()), g.status().establishedNeighbours());
        RouterStatus.ConnectionStatus connection = j.router.status().connections().get(0);
        assertEquals(PeerName.parse(g.name()), connection.name());
        assertTrue(!connection.outbound() && connection.established());
    }

    @Test
    void aMixedMeshOfThreeGoAndThreeJavaPeersConvergesAndBroadcastsReachEveryPeerExactlyOnce() {
        GoPeer g1 = go(1);
        JavaPeer j1 = java(1, true);
        j1.router.connect(List.of(g1.address()));
        GoPeer g2 = go(2, j1.address());
        JavaPeer j2 = java(2, true);
        j2.router.connect(List.of(g2.address()));
        GoPeer g3 = go(3, j2.address());
        JavaPeer j3 = java(3, true);
        j3.router.connect(List.of(g3.address()));

        awaitConverged();
        // exactly-once holds on a settled topology (mesh's trees are computed from each peer's
        // view): wait until every peer holds every peer's latest entry
        await().atMost(CONVERGENCE).pollInterval(Duration.ofMillis(100)).until(this::viewsAgree);

        // Java → everyone
        j1.broadcast("from java");
        for (GoPeer g : goPeers) {
            g.awaitReceived(r -> goCount(g, "broadcast", j1.name().toString(), bytes("from java")) == 1, DELIVERY);
        }
        for (JavaPeer j : List.of(j2, j3)) {
            await().atMost(DELIVERY).until(() -> j.gossiper.count("broadcast", "from java") == 1);
        }
        // Go → everyone
        g2.broadcast(GoPeer.TEST_CHANNEL, bytes("from go"));
        for (JavaPeer j : javaPeers) {
            await().atMost(DELIVERY).until(() -> j.gossiper.count("broadcast", "from go") == 1);
        }
        for (GoPeer g : List.of(g1, g3)) {
            g.awaitReceived(r -> goCount(g, "broadcast", g2.name(), bytes("from go")) == 1, DELIVERY);
        }
        // and nothing arrives twice
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() ->
                javaPeers.stream().allMatch(j -> j.gossiper.count("broadcast", "from go") == 1
                        && j.gossiper.count("broadcast", "from java") == (j == j1 ? 0 : 1))
                && goPeers.stream().allMatch(g -> goCount(g, "broadcast", g2.name(), bytes("from go")) == (g == g2 ? 0 : 1)
                        && goCount(g, "broadcast", j1.name().toString(), bytes("from java")) == 1));
        assertEquals(0, goCount(g2, "broadcast", g2.name(), bytes("from go")));
    }

    @Test
    void aUnicastFromJavaReachesAGoPeerAcrossAGoRelay() {
        JavaPeer j = java(1, false);
        GoPeer relay = go(1);
        j.router.connect(List.of(relay.address()));
        GoPeer destination = go(2, relay.address());
        awaitConverged();
        assertTrue(destination.status().establishedNeighbours().equals(List.of(relay.name())), "a line J–G–G");

        assertTrue(j.unicast(PeerName.parse(destination.name()), "java to go"));

        destination.awaitReceived(r -> goCount(destination, "unicast", j.name().toString(), bytes("java to go")) == 1, DELIVERY);
        assertTrue(relay.received().isEmpty());
    }

    @Test
    void aUnicastFromGoReachesAJavaPeerAcrossAJavaRelay() {
        JavaPeer relay = java(1, false);
        // connection limit 1: the Go peer cannot dial the destination, whose listening
        // address the Java relay makes discoverable
        GoPeer source = GoPeer.start("02:00:00:00:00:01", "go1", 0, List.of(relay.address()), List.of(GoPeer.TEST_CHANNEL), 1);
        goPeers.add(source);
        JavaPeer destination = java(2, false);
        destination.connect(relay);
        awaitConverged();
        assertTrue(source.status().establishedNeighbours().equals(List.of(relay.name().toString())), "a line G–J–J");

        source.unicast(GoPeer.TEST_CHANNEL, destination.name().toString(), bytes("go to java"));

        await().atMost(DELIVERY).until(() -> destination.gossiper.count("unicast", "go to java") == 1);
        assertEquals(PeerName.parse(source.name()), destination.gossiper.received.get(0).source());
        assertEquals(0, relay.gossiper.received.size());
    }

    @Test
    void aJavaPeerRelaysUnicastsAndBroadcastsBetweenGoPeersThatAreNotConnected() {
        JavaPeer relay = java(1, false);
        GoPeer a = go(1, relay.address());
        GoPeer c = go(2, relay.address());
        awaitConverged();
        assertEquals(List.of(relay.name().toString()), a.status().establishedNeighbours());

        a.unicast(GoPeer.TEST_CHANNEL, c.name(), bytes("via java"));
        c.broadcast(GoPeer.TEST_CHANNEL, bytes("all via java"));

        c.awaitReceived(r -> goCount(c, "unicast", a.name(), bytes("via java")) == 1, DELIVERY);
        a.awaitReceived(r -> goCount(a, "broadcast", c.name(), bytes("all via java")) == 1, DELIVERY);
        await().atMost(DELIVERY).until(() -> relay.gossiper.count("broadcast", "all via java") == 1);
    }

    @Test
    void aStoppedGoPeerDisappearsEverywhereAndComesBackWhenRestarted() {
        GoPeer g1 = go(1);
        JavaPeer j1 = java(1, true);
        j1.router.connect(List.of(g1.address()));
        GoPeer g2 = go(2, j1.address());
        awaitConverged();
        int port = g2.port();
        String name = g2.name();
        long oldUid = g2.uid();

        goPeers.remove(g2);
        g2.close();

        await().atMost(CONVERGENCE).until(() -> !j1.knows(PeerName.parse(name)) && !g1.status().knows(name));

        GoPeer again = GoPeer.start(name, "go2-again", port, List.of(j1.address()));
        goPeers.add(again);
        awaitConverged();
        assertTrue(again.uid() != oldUid);
        assertEquals(again.uid(), j1.router.status().peer(PeerName.parse(name)).orElseThrow().uid());
        assertEquals(again.uid(), g1.status().peer(name).uid());
    }

    @Test
    void aStoppedJavaPeerDisappearsFromGoPeersAndComesBackWhenRestarted() {
        GoPeer g1 = go(1);
        JavaPeer j1 = java(1, true);
        j1.router.connect(List.of(g1.address()));
        GoPeer g2 = go(2, j1.address());
        JavaPeer j2 = java(2, true);
        j2.router.connect(List.of(g2.address()));
        awaitConverged();
        PeerName name = j2.name();

        javaPeers.remove(j2);
        j2.close();

        await().atMost(CONVERGENCE).until(() -> !g1.status().knows(name.toString()) && !g2.status().knows(name.toString())
                && !j1.knows(name));

        JavaPeer again = JavaPeer.start(name, "java2-again", true, 0);
        javaPeers.add(again);
        again.router.connect(List.of(g1.address()));
        awaitConverged();
        long uid = again.router.status().uid();
        assertEquals(uid, g1.status().peer(name.toString()).uid());
        assertEquals(uid, g2.status().peer(name.toString()).uid());
    }

    @Test
    void aGoNewcomerWhoseOnlyContactIsAFullJavaPeerStillJoinsTheOthers() {
        JavaPeer hub = JavaPeer.start(Router.builder().name(PeerName.parse("0a:00:00:00:00:09")).nickName("full-hub")
                .listen("127.0.0.1", 0).connLimit(2));
        javaPeers.add(hub);
        JavaPeer j1 = java(1, true);
        j1.connect(hub);
        JavaPeer j2 = java(2, true);
        j2.connect(hub);
        awaitConverged();

        // mesh's hub would close right after the handshake and the newcomer would know nobody
        GoPeer newcomer = go(1, hub.address());

        awaitConverged();
        assertTrue(hub.router.status().connections().stream().noneMatch(c -> c.name().toString().equals(newcomer.name())));
        assertTrue(newcomer.status().establishedNeighbours().size() >= 2, "the newcomer dialled the peers the hub told it of");
    }

    @Test
    void aStarOfGoSpokesAroundAJavaHubConverges() {
        // 2019 mesh spokes spread their own changes by tag 4 to a random few neighbours (here:
        // the hub only); the hub must pass them on to every spoke for the star to converge
        // before the 30 s periodic gossip
        JavaPeer hub = java(1, true);
        for (int i = 1; i <= 5; i++) {
            go(i, hub.address());
        }
        awaitConverged();
        for (GoPeer spoke : goPeers) {
            assertEquals(List.of(hub.name().toString()), spoke.status().establishedNeighbours());
        }
    }

    @Test
    void aJavaPeerReconnectsToAGoPeerItWasToldOfWhenItRestarts() {
        GoPeer g = go(1);
        JavaPeer j = java(1, true);
        j.router.connect(List.of(g.address()));
        awaitConverged();
        int port = g.port();
        String name = g.name();

        goPeers.remove(g);
        g.close();
        await().atMost(CONVERGENCE).until(() -> !j.knows(PeerName.parse(name)));
        GoPeer again = GoPeer.start(name, "go1-again", port, List.of());
        goPeers.add(again);

        // the Java peer's connection maker retries the address with backoff until the Go peer is back
        awaitConverged();
        assertEquals(again.uid(), j.router.status().peer(PeerName.parse(name)).orElseThrow().uid());
        assertTrue(j.router.status().connections().get(0).outbound());
    }
}
