package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/** What Java peers do beyond mesh, keeping its wire format: bounded degree, discoverable listeners, full peers that still help. */
class BeyondMeshTest {
    private final List<JavaPeer> peers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        peers.forEach(JavaPeer::close);
    }

    private JavaPeer peer(int i, int connLimit, int targetDegree) {
        PeerName name = new PeerName(0x0b0000000000L + i);
        JavaPeer p = JavaPeer.start(Router.builder().name(name).nickName("p" + i).listen("127.0.0.1", 0)
                .connLimit(connLimit).targetDegree(targetDegree).ioThreads(1));
        peers.add(p);
        return p;
    }

    private record SeedWithTwo(JavaPeer seed, JavaPeer a, JavaPeer b) {
    }

    /** A seed (name 0) and two peers (names 1 and 2) that dialled it. */
    private SeedWithTwo seedWithTwo(int seedLimit, int seedDegree, int connLimit, int targetDegree) {
        JavaPeer seed = peer(0, seedLimit, seedDegree);
        JavaPeer a = peer(1, connLimit, targetDegree);
        JavaPeer b = peer(2, connLimit, targetDegree);
        a.connect(seed);
        b.connect(seed);
        return new SeedWithTwo(seed, a, b);
    }

    /** Every peer knows every other with its real UID and has a confirmed route to it (read cheaply from the published state). */
    private boolean converged() {
        for (JavaPeer a : peers) {
            RoutingState state = a.router.localPeer.state();
            for (JavaPeer b : peers) {
                if (a == b) {
                    continue;
                }
                var known = state.routes().topology().peer(b.name());
                if (known == null || known.summary().uid() == 0 || state.routes().unicast(b.name()).isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void everyListeningAddressIsDiscoverableSoPeersJoinedToOneHubConnectToEachOther() {
        JavaPeer hub = peer(0, 64, 0);
        for (int i = 1; i <= 4; i++) {
            peer(i, 64, 0).connect(hub);
        }
        // mesh would leave a star here: an inbound connection shows only an ephemeral port
        await().atMost(Duration.ofSeconds(15)).until(() ->
                peers.stream().allMatch(p -> p.router.status().connections().size() == 4));
    }

    @Test
    void aNewcomerWhoseOnlyContactIsAFullPeerStillJoinsTheOthers() {
        JavaPeer hub = peer(0, 3, 0);
        for (int i = 1; i <= 3; i++) {
            peer(i, 64, 0).connect(hub);
        }
        await().atMost(Duration.ofSeconds(15)).until(this::converged);
        assertTrue(hub.router.status().connections().size() <= 3);

        JavaPeer newcomer = peer(4, 64, 0);
        newcomer.connect(hub);

        await().atMost(Duration.ofSeconds(15)).until(this::converged);
        assertTrue(hub.router.status().connections().size() <= 3);
        assertTrue(hub.router.status().connections().stream().noneMatch(c -> c.name().equals(newcomer.name())));
    }

    @Test
    void aFullSeedThatHangsUpBeforeItsDiallerDoesIsStillAFullSeedToIt() {
        // Java diallers are passed on from twice the target degree: here from two links
        JavaPeer seed = seedWithTwo(64, 1, 64, 1).seed();
        await().atMost(Duration.ofSeconds(15)).until(this::converged);

        JavaPeer newcomer = peer(3, 64, 6);
        newcomer.connect(seed);

        // the seed closes the connection it passed the newcomer on with a second before the
        // newcomer would: that ends as a full seed's (asked again much later once the newcomer
        // has links), not as an error retried in seconds, each time told the whole topology
        await().atMost(Duration.ofSeconds(15)).until(() -> newcomer.router.status().targets().stream()
                .anyMatch(t -> t.address().equals(seed.address()) && t.lastError() != null));
        assertEquals(List.of(Connection.FULL_SEED_REASON), newcomer.router.status().targets().stream()
                .filter(t -> t.address().equals(seed.address())).map(RouterStatus.TargetStatus::lastError).toList());
        await().atMost(Duration.ofSeconds(15)).until(this::converged);
        assertTrue(seed.router.status().connections().stream().noneMatch(c -> c.name().equals(newcomer.name())));
    }

    @Test
    void aNewcomerPassedOnAndStillWithoutALinkIsKeptByAFullJavaPeerWithRoomForIt() {
        // degree 1: Java diallers are passed on from two links (all three have two), and a
        // dialler that says it is linkless is kept up to four
        SeedWithTwo joined = seedWithTwo(64, 1, 64, 1);
        joined.b().connect(joined.a());
        List<JavaPeer> full = List.of(joined.seed(), joined.a(), joined.b());
        await().atMost(Duration.ofSeconds(15)).until(() -> converged()
                && full.stream().allMatch(p -> p.router.status().connections().size() == 2));

        JavaPeer newcomer = peer(3, 64, 6);
        newcomer.connect(joined.seed());

        // passed on by the seed (not linkless yet: nobody had passed it on), then kept by a
        // peer it was handed, as the third link that peer would otherwise refuse
        await().atMost(Duration.ofSeconds(15)).until(() -> newcomer.router.status().connections().size() >= 1
                && Stream.of(joined.a(), joined.b()).anyMatch(p -> p.router.status().connections().size() == 3));
        await().atMost(Duration.ofSeconds(15)).until(this::converged);
        assertTrue(full.stream().allMatch(p -> p.router.status().connections().size() <= 4));
    }

    @Test
    void aFullPeerANewcomerWasHandedIsAskedAgainMuchLaterWhileItsOwnSeedIsAskedAgainSoon() {
        // degree 1: Java diallers are passed on from two links, and all three have two; a and b
        // allow two connections, so they have no room for a linkless newcomer either
        SeedWithTwo joined = seedWithTwo(64, 1, 2, 1);
        joined.b().connect(joined.a());
        await().atMost(Duration.ofSeconds(15)).until(() -> converged()
                && List.of(joined.seed(), joined.a(), joined.b()).stream().allMatch(p -> p.router.status().connections().size() == 2));

        JavaPeer newcomer = peer(3, 64, 6);
        newcomer.connect(joined.seed());

        // the seed hands it a and b (none has room, so the least loaded), which pass it on too:
        // they handed it others, so asking them again in seconds would only be passed on again
        await().atMost(Duration.ofSeconds(15)).until(() -> newcomer.router.status().targets().stream()
                .filter(t -> t.address().equals(joined.a().address()) || t.address().equals(joined.b().address()))
                .filter(t -> Connection.FULL_SEED_REASON.equals(t.lastError())).count() == 2);
        for (RouterStatus.TargetStatus t : newcomer.router.status().targets()) {
            if (t.address().equals(joined.seed().address())) {
                assertTrue(t.retryInMillis() < 10_000, "its own seed, its way in while it has no link: " + t);
            } else if (t.lastError() != null) {
                assertTrue(t.retryInMillis() > 10_000, "a full peer it was handed: " + t);
            }
        }
    }

    @Test
    void aNewcomerHandedOnInTheHandshakeDialsThosePeersWithoutWaitingForATopologyMessage() throws Exception {
        JavaPeer roomy = peer(5, 64, 6);
        JavaPeer newcomer = peer(1, 64, 6);
        PeerName seedName = new PeerName(0x0b0000000000L + 98);
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            newcomer.router.connect(List.of("127.0.0.1:" + listener.getLocalPort()));
            try (RawPeer seed = new RawPeer(listener.accept())) {
                // a full seed that names a peer with room in its features and never sends a topology
                seed.handshake(seedName.toString(), Map.of(FeatureExchange.IMPLEMENTATION_FEATURE,
                        FeatureExchange.IMPLEMENTATION, FeatureExchange.AT_LIMIT_FEATURE, "1",
                        FeatureExchange.HAND_OFF_FEATURE, roomy.address()));

                await().atMost(Duration.ofSeconds(10)).until(() -> newcomer.router.status().connections().stream()
                        .anyMatch(c -> c.name().equals(roomy.name())));
                assertTrue(seed.closedByRemote(5_000), "the newcomer hung up on the full seed");
            }
        }
    }

    @Test
    void aFullJavaSeedNamesPeersWithRoomInItsFeatures() throws Exception {
        // degree 2: the seed takes Java diallers up to four links and admissions; its two peers
        // (degree 6) link to each other too, two links each: room for a Java newcomer
        SeedWithTwo joined = seedWithTwo(64, 2, 64, 6);
        await().atMost(Duration.ofSeconds(15)).until(() -> converged()
                && joined.a().router.status().connections().size() == 2 && joined.b().router.status().connections().size() == 2);
        Map<String, String> javaDialler = Map.of(FeatureExchange.IMPLEMENTATION_FEATURE, FeatureExchange.IMPLEMENTATION);
        try (RawPeer first = new RawPeer(joined.seed().router.port());
             RawPeer second = new RawPeer(joined.seed().router.port())) {
            // two admissions still in their handshake: the seed is full for the next dialler
            first.intro();
            first.readFrame();
            second.intro();
            second.readFrame();

            // the list it draws from is made on its actor when first asked for: a later dialler sees it
            String[] named = new String[1];
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(300)).until(() -> {
                try (RawPeer newcomer = new RawPeer(joined.seed().router.port())) {
                    Map<String, String> told = newcomer.handshake(new PeerName(0x0b0000000000L + 11).toString(), javaDialler);
                    assertEquals("1", told.get(FeatureExchange.AT_LIMIT_FEATURE));
                    named[0] = told.get(FeatureExchange.HAND_OFF_FEATURE);
                    return named[0] != null;
                }
            });
            List<String> addresses = List.of(named[0].split(" "));
            assertEquals(java.util.Set.of(joined.a().address(), joined.b().address()), java.util.Set.copyOf(addresses),
                    "it names its peers with room, where they listen");
        }
    }

    @Test
    void aNewcomerWaitsForTheTopologyOfAFullSeedThatIsSlowToSendIt() throws Exception {
        // a busy seed (hundreds joining it) sends its topology seconds after the handshake:
        // here 3 s, beyond the 2 s a newcomer used to wait before hanging up and dialling again
        PeerName x = new PeerName(0x0b0000000000L + 99);
        PeerName seedName = new PeerName(0x0b0000000000L + 98);
        JavaPeer newcomer = JavaPeer.start(Router.builder().name(new PeerName(0x0b0000000000L + 1)).nickName("p1")
                .listen("127.0.0.1", 0).peerDiscovery(false).ioThreads(1));
        peers.add(newcomer);
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            newcomer.router.connect(List.of("127.0.0.1:" + listener.getLocalPort()));
            try (RawPeer seed = new RawPeer(listener.accept())) {
                seed.handshake(seedName.toString(), java.util.Map.of(FeatureExchange.IMPLEMENTATION_FEATURE,
                        FeatureExchange.IMPLEMENTATION, FeatureExchange.AT_LIMIT_FEATURE, "1"));
                Thread.sleep(3_000);
                ConnectionSummary toX = new ConnectionSummary(x, "127.0.0.1:1", true, true);
                byte[] topology = WireCodec.encodeTopology(List.of(
                        new PeerUpdate(new PeerSummary(seedName, "seed", 5, 1, 3, true), List.of(toX)),
                        new PeerUpdate(new PeerSummary(x, "x", 6, 1, 4, true), List.of())));
                byte[] gossip = WireCodec.encodeGossip(new GossipFrame(TopologyNews.CHANNEL, seedName, topology));
                try {
                    seed.writeFrame(ProtocolTag.GOSSIP, gossip);
                } catch (java.net.SocketException e) {
                    throw new AssertionError("the newcomer hung up on the full seed before its topology came", e);
                }

                await().atMost(Duration.ofSeconds(5)).until(() -> newcomer.knows(x));
                assertTrue(seed.closedByRemote(5_000), "the newcomer kept the connection to the full seed open");
            }
        }
    }

    @Test
    void aSeedThatPassesANewcomerOnBeforeItHasALinkTellsItTheTopologyOnceItHasOne() throws Exception {
        // a seed counts connections still in their handshake towards its limit: with a hundred
        // dialling at once it passes most on before it has registered any, and a newcomer told
        // then learnt of nobody
        JavaPeer seed = peer(0, 64, 1);
        PeerName a = new PeerName(0x0b0000000000L + 10);
        Map<String, String> java = Map.of(FeatureExchange.IMPLEMENTATION_FEATURE, FeatureExchange.IMPLEMENTATION);
        try (RawPeer first = new RawPeer(seed.router.port());
             RawPeer second = new RawPeer(seed.router.port());
             RawPeer newcomer = new RawPeer(seed.router.port())) {
            first.intro();
            first.readFrame(); // welcome: an admission, no link yet
            second.intro();
            second.readFrame();
            Map<String, String> told = newcomer.handshake(new PeerName(0x0b0000000000L + 11).toString(), java);
            assertEquals("1", told.get(FeatureExchange.AT_LIMIT_FEATURE), "two admissions make a degree-1 seed full");
            assertNull(nextTopology(newcomer, 300), "the seed told the newcomer the topology while it had no link");
            first.sendFeatures(a.toString(), java);

            List<PeerUpdate> topology = nextTopology(newcomer, 3_000);
            assertNotNull(topology, "the seed told the newcomer nothing");
            assertTrue(topology.stream().anyMatch(u -> u.peer().name().equals(seed.name())
                            && u.connections().stream().anyMatch(c -> c.name().equals(a))),
                    "the topology the seed told names the peer it linked to: " + topology);
        }
    }

    // The next topology message within the timeout (other frames skipped), or null.
    private static List<PeerUpdate> nextTopology(RawPeer raw, int timeoutMillis) throws java.io.IOException {
        raw.socket.setSoTimeout(timeoutMillis);
        try {
            while (true) {
                byte[] frame = raw.readFrame();
                if (frame.length == 0 || frame[0] != ProtocolTag.GOSSIP.code()) {
                    continue;
                }
                GossipFrame gossip = WireCodec.decodeGossip(java.util.Arrays.copyOfRange(frame, 1, frame.length));
                if (gossip.channel().equals(TopologyNews.CHANNEL)) {
                    return WireCodec.decodeTopology(gossip.data());
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    @Test
    void aNewcomerLeftWithoutALinkKeepsWhatAFullSeedToldItAfterTheSeedHangsUp() {
        SeedWithTwo joined = seedWithTwo(2, 0, 64, 0);
        await().atMost(Duration.ofSeconds(15)).until(this::converged);
        // discovery off: it will not dial a or b, so it stays without a link after the full hub
        // has told it the topology and closed the connection
        PeerName name = new PeerName(0x0b0000000000L + 3);
        JavaPeer newcomer = JavaPeer.start(Router.builder().name(name).nickName("p3").listen("127.0.0.1", 0)
                .peerDiscovery(false).ioThreads(1));
        peers.add(newcomer);
        newcomer.connect(joined.seed());
        await().atMost(Duration.ofSeconds(15)).until(() -> newcomer.knows(joined.a().name()) && newcomer.knows(joined.b().name()));
        await().atMost(Duration.ofSeconds(15)).until(() -> newcomer.router.status().targets().stream()
                .anyMatch(t -> t.state().equals("waiting") && t.lastError() != null));

        // collected, it would know nobody but the hub until the hub's backoff let it ask again
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> newcomer.knows(joined.a().name()) && newcomer.knows(joined.b().name()));
        assertTrue(newcomer.router.status().connections().isEmpty());
    }

    @Test
    void twentyFourPeersJoinedInAChainWithDegreeFourConvergeWithoutAFullMesh() {
        int n = 24;
        int degree = 4;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            JavaPeer p = peer(i, 64, degree);
            if (i > 0) {
                p.connect(peers.get(i - 1));
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(this::converged);
        long millis = (System.nanoTime() - start) / 1_000_000;
        int connections = peers.stream().mapToInt(p -> p.router.status().connections().size()).sum() / 2;
        System.out.printf("%d peers (degree %d) converged in %d ms with %d connections (a full mesh has %d)%n",
                n, degree, millis, connections, n * (n - 1) / 2);
        for (JavaPeer p : peers) {
            long outbound = p.router.status().connections().stream().filter(RouterStatus.ConnectionStatus::outbound).count();
            assertTrue(outbound <= degree + 1, p.name() + " dialled " + outbound);
        }
        assertTrue(connections < n * (n - 1) / 4);
    }
}
