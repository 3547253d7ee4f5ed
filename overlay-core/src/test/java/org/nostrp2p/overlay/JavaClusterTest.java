package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.WireCodec;

/** Java peers on loopback forming an overlay: convergence, broadcast, unicast, departures, restarts. */
class JavaClusterTest {
    private static final Duration CONVERGENCE = Duration.ofSeconds(15);

    private final List<JavaPeer> peers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        peers.forEach(JavaPeer::close);
    }

    private JavaPeer peer(int i, boolean discovery) {
        JavaPeer p = JavaPeer.start(String.format("00:00:00:00:01:%02x", i), "java" + i, discovery);
        peers.add(p);
        return p;
    }

    private List<JavaPeer> chain(int n, boolean discovery) {
        for (int i = 0; i < n; i++) {
            JavaPeer p = peer(i, discovery);
            if (i > 0) {
                p.connect(peers.get(i - 1));
            }
        }
        return peers;
    }

    private static boolean converged(List<JavaPeer> group) {
        return JavaPeer.converged(group);
    }

    @Test
    void fivePeersJoinedInAChainConvergeSoEveryPeerHasARouteToEveryOther() {
        chain(5, true);
        await().atMost(CONVERGENCE).until(() -> converged(peers));
    }

    @Test
    void aBroadcastReachesEveryOtherPeerExactlyOnce() {
        chain(6, false);
        await().atMost(CONVERGENCE).until(() -> converged(peers) && viewsAgree(peers));

        peers.get(2).broadcast("hello everyone");

        for (JavaPeer p : peers) {
            long expected = p == peers.get(2) ? 0 : 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> p.gossiper.count("broadcast", "hello everyone") == expected);
        }
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                peers.stream().allMatch(p -> p.gossiper.count("broadcast", "hello everyone") == (p == peers.get(2) ? 0 : 1)));
    }

    private static boolean viewsAgree(List<JavaPeer> group) {
        return JavaPeer.viewsAgree(group);
    }

    @Test
    void aBroadcastInAFullMeshReachesEveryOtherPeerExactlyOnce() {
        chain(5, true);
        await().atMost(CONVERGENCE).until(() -> converged(peers)
                && peers.stream().allMatch(p -> p.router.status().connections().size() == 4) && viewsAgree(peers));

        peers.get(0).broadcast("to all");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(List.of(1L, 1L, 1L, 1L),
                peers.stream().skip(1).map(p -> p.gossiper.count("broadcast", "to all")).toList(),
                "how many times each of the others got it"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                peers.stream().skip(1).allMatch(p -> p.gossiper.count("broadcast", "to all") == 1));
        assertEquals(0, peers.get(0).gossiper.count("broadcast", "to all"));
    }

    @Test
    void aUnicastIsRelayedAcrossAPeerBetweenTwoThatAreNotConnected() {
        chain(3, false);
        JavaPeer a = peers.get(0);
        JavaPeer c = peers.get(2);
        await().atMost(CONVERGENCE).until(() -> converged(peers));
        assertTrue(a.router.status().connections().stream().noneMatch(conn -> conn.name().equals(c.name())));

        assertTrue(a.unicast(c.name(), "psst"));

        await().atMost(Duration.ofSeconds(5)).until(() -> c.gossiper.count("unicast", "psst") == 1);
        assertEquals(0, peers.get(1).gossiper.count("unicast", "psst"));
        assertEquals(a.name(), c.gossiper.received.get(0).source());
    }

    @Test
    void aUnicastToAnUnknownPeerReportsNoRoute() {
        JavaPeer a = peer(0, false);
        assertFalse(a.unicast(PeerName.parse("00:00:00:00:09:09"), "nobody"));
    }

    @Test
    void aStoppedPeerDisappearsFromEveryTopologyAndARestartedOneComesBack() {
        chain(4, true);
        await().atMost(CONVERGENCE).until(() -> converged(peers));
        JavaPeer leaving = peers.remove(3);
        PeerName name = leaving.name();
        long oldUid = peers.get(0).router.status().peer(name).orElseThrow().uid();

        leaving.close();

        await().atMost(CONVERGENCE).until(() -> peers.stream().noneMatch(p -> p.knows(name)));

        JavaPeer back = JavaPeer.start(name, "java3-again", true, 0);
        peers.add(back);
        back.connect(peers.get(0));

        await().atMost(CONVERGENCE).until(() -> converged(peers));
        long newUid = back.router.status().uid();
        assertTrue(newUid != oldUid);
        for (JavaPeer p : peers) {
            assertEquals(newUid, p.router.status().peer(name).orElseThrow().uid(), "UID of the restarted peer at " + p.name());
        }
    }

    @Test
    void aRestartedPeerSupersedesItsOldIncarnationWhileOthersStillRememberIt() {
        chain(3, false);
        await().atMost(CONVERGENCE).until(() -> converged(peers));
        JavaPeer middle = peers.get(1);
        // restart the end peer without waiting for the others to forget it
        JavaPeer end = peers.remove(2);
        PeerName name = end.name();
        end.close();
        JavaPeer again = JavaPeer.start(name, "java2-again", false, 0);
        peers.add(again);
        again.connect(middle);

        await().atMost(CONVERGENCE).until(() -> converged(peers)
                && peers.stream().allMatch(p -> p.router.status().peer(name).orElseThrow().uid() == again.router.status().uid()));
    }

    @Test
    void aPeerReconnectsToAnAddressItWasGivenWhenThePeerThereRestarts() {
        JavaPeer a = peer(0, false);
        JavaPeer b = peer(1, false);
        b.connect(a);
        await().atMost(CONVERGENCE).until(() -> converged(peers));
        int port = a.router.port();
        PeerName name = a.name();

        peers.remove(a);
        a.close();
        await().atMost(CONVERGENCE).until(() -> !b.knows(name));
        JavaPeer again = JavaPeer.start(name, "java0-again", false, port);
        peers.add(again);

        // b was told a's address once; its connection maker retries with backoff until a is back
        await().atMost(CONVERGENCE).until(() -> converged(peers));
        assertTrue(b.router.status().connections().get(0).outbound());
    }

    @Test
    void twoPeersDiallingEachOtherAtOnceKeepExactlyOneConnection() {
        JavaPeer a = peer(0, false);
        JavaPeer b = peer(1, false);
        a.connect(b);
        b.connect(a);

        await().atMost(CONVERGENCE).until(() -> converged(peers));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() ->
                a.router.status().connections().size() == 1 && b.router.status().connections().size() == 1);
        RouterStatus.ConnectionStatus fromA = a.router.status().connections().get(0);
        RouterStatus.ConnectionStatus fromB = b.router.status().connections().get(0);
        assertTrue(fromA.outbound() != fromB.outbound(), "both ends keep the same connection");
    }

    @Test
    void twoPeersRunningWithTheSameNameAreReported() {
        try (LogCapture log = new LogCapture()) {
            JavaPeer a = peer(0, false);
            JavaPeer b = peer(1, false);
            JavaPeer d = peer(2, false);
            b.connect(a);
            d.connect(b);
            await().atMost(CONVERGENCE).until(() -> converged(peers));
            // a second peer with a's name joins at the far end
            JavaPeer twin = JavaPeer.start(a.name(), "twin", false, 0);
            peers.add(twin);
            twin.connect(d);

            await().atMost(CONVERGENCE).until(() -> log.linesContaining("another peer runs with the same name").stream()
                    .anyMatch(l -> l.contains(a.name().toString())));
        }
    }

    @Test
    void aBroadcastOverTheFrameLimitIsDroppedWithoutClosingConnections() {
        chain(2, false);
        await().atMost(CONVERGENCE).until(() -> converged(peers));

        peers.get(0).gossip.gossipBroadcast(GossipData.ofMessages(new byte[WireCodec.MAX_FRAME_BYTES]));
        peers.get(0).broadcast("small");

        await().atMost(Duration.ofSeconds(5)).until(() -> peers.get(1).gossiper.count("broadcast", "small") == 1);
        assertEquals(1, peers.get(1).gossiper.received.size());
        assertEquals(1, peers.get(0).router.status().connections().size());
        assertThrows(IllegalArgumentException.class,
                () -> peers.get(0).gossip.gossipUnicast(peers.get(1).name(), new byte[WireCodec.MAX_FRAME_BYTES]));
    }
}
