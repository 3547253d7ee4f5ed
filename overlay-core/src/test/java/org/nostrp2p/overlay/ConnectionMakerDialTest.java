package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Topology;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerSummary;

/**
 * The connection maker on its own, without a router: what it dials, through the narrow
 * {@link Dialer} it is given, for addresses it is told and for peers it discovers.
 */
class ConnectionMakerDialTest {
    private static final PeerName SELF = PeerName.parse("02:00:00:00:00:01");
    private static final PeerName NEIGHBOUR = PeerName.parse("02:00:00:00:00:02");
    private static final PeerName DISTANT = PeerName.parse("02:00:00:00:00:03");

    private record Dial(String address, boolean acceptNewPeer, boolean optional) {
    }

    /** Records dials; reports the topology it is given. */
    private static final class RecordingDialer implements Dialer {
        final BlockingQueue<Dial> dials = new LinkedBlockingQueue<>();
        volatile Topology topology = new Topology(SELF, Map.of());

        @Override
        public void dial(String address, boolean acceptNewPeer, boolean optional) {
            dials.add(new Dial(address, acceptNewPeer, optional));
        }

        @Override
        public PeerName name() {
            return SELF;
        }

        @Override
        public int port() {
            return 7000;
        }

        @Override
        public InetSocketAddress listenAddress() {
            return new InetSocketAddress("127.0.0.1", 7000);
        }

        @Override
        public int targetDegree() {
            return Router.DEFAULT_TARGET_DEGREE;
        }

        @Override
        public Topology topology() {
            return topology;
        }
    }

    private final ScheduledExecutorService actor = Executors.newSingleThreadScheduledExecutor();
    private final RecordingDialer dialer = new RecordingDialer();

    @AfterEach
    void stopActor() {
        actor.shutdownNow();
    }

    @Test
    void anAddressGivenToConnectIsDialledAtOnceAsARequiredLink() throws InterruptedException {
        ConnectionMaker maker = new ConnectionMaker(dialer, actor, false);

        maker.initiateConnections(List.of("127.0.0.1:7001"));

        assertEquals(new Dial("127.0.0.1:7001", true, false), dialer.dials.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailedDialWaitsAboutTwoSecondsAndShowsItsErrorInTheTargets() throws Exception {
        ConnectionMaker maker = new ConnectionMaker(dialer, actor, false);
        maker.initiateConnections(List.of("127.0.0.1:7001"));
        dialer.dials.poll(10, TimeUnit.SECONDS);

        maker.connectionAborted("127.0.0.1:7001", "connection refused");

        RouterStatus.TargetStatus target = maker.targets().get(10, TimeUnit.SECONDS).get(0);
        assertEquals("127.0.0.1:7001", target.address());
        assertEquals("waiting", target.state());
        assertEquals("connection refused", target.lastError());
        // the first retry comes after 1 to 3 s (2 s, ×0.5–1.5); the answer took a moment
        assertTrue(target.retryInMillis() > 500 && target.retryInMillis() <= 3000, "retry in " + target.retryInMillis() + " ms");
    }

    @Test
    void aPeerSeenInTheTopologyIsDialledAtTheAddressItsNeighbourDialled() throws InterruptedException {
        ConnectionMaker maker = new ConnectionMaker(dialer, actor, true);
        PeerSummary neighbour = new PeerSummary(NEIGHBOUR, "neighbour", 22, 1, 0, false);
        // as Peers has it: a peer named in a link has an entry, a placeholder until its own comes
        dialer.topology = new Topology(SELF, Map.of(NEIGHBOUR, new Topology.PeerView(neighbour,
                        Map.of(DISTANT, new ConnectionSummary(DISTANT, "127.0.0.1:7003", true, true))),
                DISTANT, new Topology.PeerView(new PeerSummary(DISTANT, "", 0, 0, 0, false), Map.of())));

        maker.refresh();

        await().atMost(Duration.ofSeconds(10)).until(() -> !dialer.dials.isEmpty());
        assertEquals(new Dial("127.0.0.1:7003", false, false), dialer.dials.poll());
    }

    @Test
    void peersKnownOnlyByNameAreDialledAfterThePeersWhoseEntriesShowRoom() throws InterruptedException {
        // what a full peer hands a newcomer: its own entry, naming its links, and the entries of
        // two peers with room; the links it names without entries are dialled only after those
        ConnectionMaker maker = new ConnectionMaker(dialer, actor, true);
        PeerName roomyA = PeerName.parse("02:00:00:00:00:0a");
        PeerName roomyB = PeerName.parse("02:00:00:00:00:0b");
        PeerName unknownC = PeerName.parse("02:00:00:00:00:0c");
        PeerName unknownD = PeerName.parse("02:00:00:00:00:0d");
        Map<PeerName, ConnectionSummary> fullPeerLinks = new java.util.HashMap<>();
        for (PeerName p : List.of(roomyA, roomyB, unknownC, unknownD)) {
            fullPeerLinks.put(p, new ConnectionSummary(p, "127.0.0.1:70" + (p.value() & 0xff), true, true));
        }
        Map<PeerName, Topology.PeerView> peers = new java.util.HashMap<>();
        peers.put(NEIGHBOUR, new Topology.PeerView(new PeerSummary(NEIGHBOUR, "full", 22, 9, 0, false), fullPeerLinks));
        for (PeerName p : List.of(roomyA, roomyB)) {
            peers.put(p, new Topology.PeerView(new PeerSummary(p, "roomy", p.value(), 2, 0, false),
                    Map.of(NEIGHBOUR, new ConnectionSummary(NEIGHBOUR, "127.0.0.1:7002", false, true))));
        }
        for (PeerName p : List.of(unknownC, unknownD)) {
            peers.put(p, new Topology.PeerView(new PeerSummary(p, "", 0, 0, 0, false), Map.of()));
        }
        dialer.topology = new Topology(SELF, peers);

        // none is reachable yet, so the first is a bridge; the next run dials by the ranking too
        java.util.Set<String> dialled = new java.util.HashSet<>();
        for (int i = 0; i < ConnectionMaker.MAX_DISCOVERY_ATTEMPTS; i++) {
            maker.refresh();
            Dial dial = dialer.dials.poll(10, TimeUnit.SECONDS);
            assertTrue(dial != null && !dial.optional(), "a required dial: " + dial);
            dialled.add(dial.address());
        }
        assertEquals(java.util.Set.of("127.0.0.1:7010", "127.0.0.1:7011"), dialled);
        maker.refresh();
        assertEquals(null, dialer.dials.poll(300, TimeUnit.MILLISECONDS), "two at a time");
    }
}
