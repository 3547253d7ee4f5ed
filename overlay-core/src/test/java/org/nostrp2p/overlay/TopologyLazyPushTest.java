package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * Topology news between Java peers is announced on pruned links and sent on eager ones
 * (Plumtree's lazy push, see {@link TopologyNews}). A scripted Java neighbour plays the other end.
 */
class TopologyLazyPushTest {

    private static final PeerName Q = PeerName.parse("02:00:00:00:0e:01");

    @Test
    void aJavaNeighbourThatSendsWhatTheRouterHasPrunesTheLinkThenGetsHavesAndWhatItWants() throws Exception {
        // a router normally keeps a few links eager whatever they bring; this one keeps none
        JavaPeer started;
        System.setProperty(TopologyNews.MIN_EAGER_LINKS_PROPERTY, "0");
        try {
            started = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
        } finally {
            System.clearProperty(TopologyNews.MIN_EAGER_LINKS_PROPERTY);
        }
        try (JavaPeer router = started;
             JavaPeer other = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("other"));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 2))) {
            other.connect(router);
            await().atMost(Duration.ofSeconds(10)).until(() -> router.knowsAndReaches(other.name()));
            PeerUpdate own = new PeerUpdate(new PeerSummary(java.name, "hostile", HostilePeer.UID, 1, 7, true), List.of());
            java.sendTopology(List.of(own));
            await().atMost(Duration.ofSeconds(10)).until(() -> router.router.status().peer(java.name).isPresent());

            // the same entry again: nothing in it is news, so the router prunes the link
            java.sendTopology(List.of(own));
            assertTrue(next(java, f -> isDigest(f, TopologyDigest.Kind.PRUNE)) != null, "no prune");

            // news the router learns from elsewhere comes as a have, not as the entry
            try (JavaPeer newcomer = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("newcomer"))) {
                newcomer.connect(other);
                List<GossipFrame> seen = new ArrayList<>();
                GossipFrame have = next(java, f -> {
                    seen.add(f);
                    return isDigest(f, TopologyDigest.Kind.HAVE) && TopologyDigest.decode(f.data()).entries().stream()
                            .anyMatch(e -> e.name().equals(newcomer.name()));
                });
                assertTrue(have != null, "no have for the newcomer");
                assertFalse(seen.stream().anyMatch(f -> describes(f, newcomer.name())),
                        "the newcomer's entry was sent on a pruned link");

                // a want brings the entry
                java.gossip(ProtocolTag.GOSSIP, TopologyDigest.CHANNEL, TopologyDigest.want(List.of(newcomer.name())));
                assertTrue(next(java, f -> describes(f, newcomer.name())) != null, "the wanted entry did not come");
            }
        }
    }

    @Test
    void aVersionAnnouncedByAHaveThatNoOneSendsIsWantedFromTheAnnouncer() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 3))) {
            java.announce(List.of());
            java.gossip(ProtocolTag.GOSSIP, TopologyDigest.CHANNEL, TopologyDigest.have(List.of(new TopologyDigest.Entry(Q, 99, 3))));

            GossipFrame want = next(java, f -> isDigest(f, TopologyDigest.Kind.WANT)
                    && TopologyDigest.decode(f.data()).entries().stream().anyMatch(e -> e.name().equals(Q)));
            assertTrue(want != null, "the announced version was not wanted");
        }
    }

    @Test
    void aGoNeighbourIsNeverPrunedAndNeverSentHaves() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer go = HostilePeer.join(router.router.port(), HostilePeer.inventedName(0x0e, 4))) {
            PeerUpdate own = new PeerUpdate(new PeerSummary(go.name, "go", HostilePeer.UID, 1, 7, true), List.of());
            go.sendTopology(List.of(own));
            go.sendTopology(List.of(own));
            go.sendTopology(List.of(own));

            GossipFrame digestChannel = next(go, f -> f.channel().equals(TopologyDigest.CHANNEL), Duration.ofMillis(1500));
            assertTrue(digestChannel == null, "a Go peer was sent a frame on the digest channel");
        }
    }

    private static boolean isDigest(GossipFrame frame, TopologyDigest.Kind kind) {
        return frame.channel().equals(TopologyDigest.CHANNEL) && TopologyDigest.decode(frame.data()).kind() == kind;
    }

    private static boolean describes(GossipFrame frame, PeerName name) {
        return frame.channel().equals(TopologyNews.CHANNEL)
                && WireCodec.decodeTopology(frame.data()).stream().anyMatch(u -> u.peer().name().equals(name));
    }

    private static GossipFrame next(HostilePeer peer, Predicate<GossipFrame> wanted) throws IOException {
        return next(peer, wanted, Duration.ofSeconds(10));
    }

    // The first tag-4 or tag-6 frame that {@code wanted} accepts within {@code within}, or null.
    private static GossipFrame next(HostilePeer peer, Predicate<GossipFrame> wanted, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            GossipFrame gossip = peer.nextGossip(100);
            if (gossip != null && wanted.test(gossip)) {
                return gossip;
            }
        }
        return null;
    }
}
