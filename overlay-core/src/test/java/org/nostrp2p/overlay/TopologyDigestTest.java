package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.ProtocolException;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/** Topology anti-entropy by versions between Java peers ({@link TopologyDigest}). */
class TopologyDigestTest {

    private static final PeerName Q = PeerName.parse("02:00:00:00:0d:01");

    @Test
    void digestsAndWantsRoundTrip() {
        List<TopologyDigest.Entry> entries = List.of(new TopologyDigest.Entry(Q, -1L, 0),
                new TopologyDigest.Entry(PeerName.parse("0e:00:00:00:00:01"), 42, 1L << 40));

        TopologyDigest.Message digest = TopologyDigest.decode(TopologyDigest.digest(entries));
        TopologyDigest.Message hello = TopologyDigest.decode(TopologyDigest.hello(entries));
        TopologyDigest.Message want = TopologyDigest.decode(TopologyDigest.want(List.of(Q)));

        assertEquals(TopologyDigest.Kind.DIGEST, digest.kind());
        assertEquals(entries, digest.entries());
        assertEquals(TopologyDigest.Kind.HELLO, hello.kind());
        assertEquals(entries, hello.entries());
        assertEquals(TopologyDigest.Kind.WANT, want.kind());
        assertEquals(List.of(new TopologyDigest.Entry(Q, 0, 0)), want.entries());
    }

    @Test
    void havesAndPrunesRoundTripAndAPruneWithEntriesIsRefused() {
        List<TopologyDigest.Entry> entries = List.of(new TopologyDigest.Entry(Q, 5, 9));

        TopologyDigest.Message have = TopologyDigest.decode(TopologyDigest.have(entries));
        TopologyDigest.Message prune = TopologyDigest.decode(TopologyDigest.prune());

        assertEquals(TopologyDigest.Kind.HAVE, have.kind());
        assertEquals(entries, have.entries());
        assertEquals(TopologyDigest.Kind.PRUNE, prune.kind());
        assertEquals(List.of(), prune.entries());
        assertTrue(assertThrows(ProtocolException.class, () -> TopologyDigest.decode(new byte[] {4, 1, 2, 0, 0, 0, 0, 1}))
                .getMessage().contains("a prune with 1 entries"));
    }

    @Test
    void malformedDigestsAreProtocolErrorsNamingWhatIsWrong() {
        byte[] good = TopologyDigest.digest(List.of(new TopologyDigest.Entry(Q, 7, 300)));

        assertTrue(assertThrows(ProtocolException.class, () -> TopologyDigest.decode(new byte[0])).getMessage().contains("truncated"));
        assertTrue(assertThrows(ProtocolException.class, () -> TopologyDigest.decode(new byte[] {9, 0})).getMessage().contains("type 9"));
        assertTrue(assertThrows(ProtocolException.class, () -> TopologyDigest.decode(java.util.Arrays.copyOf(good, good.length - 1)))
                .getMessage().contains("truncated"));
        assertTrue(assertThrows(ProtocolException.class, () -> TopologyDigest.decode(java.util.Arrays.copyOf(good, good.length + 1)))
                .getMessage().contains("after the last entry"));
        // a count of two billion in five bytes: refused before anything is allocated
        assertTrue(assertThrows(ProtocolException.class, () -> TopologyDigest.decode(new byte[] {1, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, 0x08})).getMessage().contains("entries in"));
        assertTrue(assertThrows(ProtocolException.class, () -> TopologyDigest.decode(new byte[] {1, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}))
                .getMessage().contains("varint"));
    }

    @Test
    void randomAndMutatedBytesRaiseOnlyProtocolExceptions() {
        Random random = new Random(11);
        byte[] good = TopologyDigest.digest(List.of(new TopologyDigest.Entry(Q, 7, 300), new TopologyDigest.Entry(Q, 8, 1)));
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = random.nextBoolean() ? new byte[random.nextInt(40)] : good.clone();
            if (bytes == good || bytes.length == good.length) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            } else {
                random.nextBytes(bytes);
            }
            try {
                TopologyDigest.decode(bytes);
            } catch (ProtocolException expected) {
                // the only way to fail
            }
        }
    }

    @Test
    void aJavaNeighboursDigestGetsAWantForWhatItHasNewerAndTheEntriesItLacks() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             JavaPeer other = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("other"))) {
            other.connect(router);
            await().atMost(Duration.ofSeconds(10)).until(() -> router.knowsAndReaches(other.name()));
            try (HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0d, 2))) {
                java.announce(List.of());
                // describes Q, which the router has never heard of, and leaves out "other"
                java.gossip(ProtocolTag.GOSSIP, TopologyDigest.CHANNEL,
                        TopologyDigest.digest(List.of(new TopologyDigest.Entry(Q, 99, 3))));

                boolean wantedQ = false;
                boolean toldOfOther = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!(wantedQ && toldOfOther) && System.nanoTime() < deadline) {
                    GossipFrame frame = java.nextGossip(200);
                    if (frame == null) {
                        continue;
                    }
                    if (frame.channel().equals(TopologyDigest.CHANNEL)) {
                        TopologyDigest.Message message = TopologyDigest.decode(frame.data());
                        wantedQ |= message.kind() == TopologyDigest.Kind.WANT && message.entries().stream().anyMatch(e -> e.name().equals(Q));
                    } else if (frame.channel().equals(TopologyNews.CHANNEL)) {
                        for (PeerUpdate update : WireCodec.decodeTopology(frame.data())) {
                            toldOfOther |= update.peer().name().equals(other.name());
                        }
                    }
                }
                assertTrue(wantedQ, "no want for the entry only the digest had");
                assertTrue(toldOfOther, "the entry the digest lacked was not sent");
            }
        }
    }

    @Test
    void aNewJavaNeighbourIsSentAHelloNotTheWholeTopologyThenOnlyWhatItsOwnHelloLacksAndNoWant() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router")
                .topologyGossipInterval(Duration.ofHours(1)));
             JavaPeer other = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("other"))) {
            other.connect(router);
            await().atMost(Duration.ofSeconds(10)).until(() -> router.knowsAndReaches(other.name()));
            // other's entry settles (its link's versions), so no news of it is on its way when the neighbour joins
            long[] seen = {-1};
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
                long version = router.router.status().peer(other.name()).orElseThrow().version();
                boolean settled = version == seen[0];
                seen[0] = version;
                return settled;
            });
            try (HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0d, 5))) {
                TopologyDigest.Message hello = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (hello == null && System.nanoTime() < deadline) {
                    GossipFrame frame = java.nextGossip(200);
                    if (frame != null && frame.channel().equals(TopologyNews.CHANNEL)) {
                        for (PeerUpdate update : WireCodec.decodeTopology(frame.data())) {
                            assertFalse(update.peer().name().equals(other.name()), "sent other's entry before hearing what the neighbour has");
                        }
                    } else if (frame != null && frame.channel().equals(TopologyDigest.CHANNEL)) {
                        hello = TopologyDigest.decode(frame.data());
                    }
                }
                assertNotNull(hello, "no hello on the new link");
                assertEquals(TopologyDigest.Kind.HELLO, hello.kind());
                long otherVersion = router.router.status().peer(other.name()).orElseThrow().version();
                long otherUid = router.router.status().peer(other.name()).orElseThrow().uid();
                assertTrue(hello.entries().contains(new TopologyDigest.Entry(other.name(), otherUid, otherVersion)),
                        "the hello lacks other's version: " + hello.entries());

                // the neighbour's own hello: it has other's entry already, and Q, which the router lacks
                java.announce(List.of());
                java.gossip(ProtocolTag.GOSSIP, TopologyDigest.CHANNEL, TopologyDigest.hello(List.of(
                        new TopologyDigest.Entry(other.name(), otherUid, otherVersion), new TopologyDigest.Entry(Q, 99, 3))));

                long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
                while (System.nanoTime() < until) {
                    GossipFrame frame = java.nextGossip(200);
                    if (frame != null && frame.channel().equals(TopologyDigest.CHANNEL)) {
                        assertFalse(TopologyDigest.decode(frame.data()).kind() == TopologyDigest.Kind.WANT,
                                "wanted what the neighbour sends anyway, having read the router's hello");
                    } else if (frame != null && frame.channel().equals(TopologyNews.CHANNEL)) {
                        for (PeerUpdate update : WireCodec.decodeTopology(frame.data())) {
                            // a later version is news (other's entry may still change as its link settles)
                            assertFalse(update.peer().name().equals(other.name()) && update.peer().version() <= otherVersion,
                                    "sent other's entry, which the neighbour's hello had");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aJavaNeighbourGetsDigestsInThePeriodicRoundNotTheWholeTopology() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router")
                .topologyGossipInterval(Duration.ofMillis(50)));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0d, 3))) {
            java.announce(List.of());
            boolean digest = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!digest && System.nanoTime() < deadline) {
                GossipFrame frame = java.nextGossip(200);
                digest = frame != null && frame.channel().equals(TopologyDigest.CHANNEL)
                        && TopologyDigest.decode(frame.data()).kind() == TopologyDigest.Kind.DIGEST;
            }
            assertTrue(digest, "no digest in 10 s of 50 ms rounds");
        }
    }

    @Test
    void aGoPeersFramesOnTheDigestChannelAreIgnored() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer go = HostilePeer.join(router.router.port(), HostilePeer.inventedName(0x0d, 4))) {
            go.announce(List.of());
            go.gossip(ProtocolTag.GOSSIP, TopologyDigest.CHANNEL, TopologyDigest.digest(List.of(new TopologyDigest.Entry(Q, 99, 3))));

            List<String> channels = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                GossipFrame frame = go.nextGossip(200);
                if (frame != null) {
                    channels.add(frame.channel());
                }
            }
            assertFalse(channels.contains(TopologyDigest.CHANNEL), "answered a Go peer on the digest channel: " + channels);
            assertTrue(router.router.status().connections().stream().anyMatch(c -> go.name.equals(c.name())),
                    "the Go peer was dropped");
        }
    }
}
