package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.BroadcastRepair.Id;
import org.nostrp2p.overlay.BroadcastRepair.Message;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.ProtocolException;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * Broadcasts the tree did not bring, announced and asked for between Java peers
 * ({@link BroadcastRepair}): real routers on loopback, a scripted Java neighbour.
 */
class BroadcastRepairTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final PeerName Q = PeerName.parse("02:00:00:00:0e:01");

    @Test
    void repairMessagesRoundTrip() {
        Id one = Id.of("test", Q, bytes("one"));
        Id two = Id.of("test", Q, bytes("two"));

        Message have = BroadcastRepair.decode(BroadcastRepair.have(List.of(one, two)));
        Message want = BroadcastRepair.decode(BroadcastRepair.want(List.of(two)));
        Message data = BroadcastRepair.decode(BroadcastRepair.data("test", Q, bytes("one")));

        assertEquals(Message.HAVE, have.type());
        assertEquals(List.of(one, two), have.ids());
        assertEquals(Message.WANT, want.type());
        assertEquals(List.of(two), want.ids());
        assertEquals(Message.DATA, data.type());
        assertEquals("test", data.channel());
        assertEquals(Q, data.source());
        assertArrayEquals(bytes("one"), data.message());
        assertEquals(one, Id.of(data.channel(), data.source(), data.message()));
    }

    @Test
    void anIdDependsOnChannelSourceAndBytes() {
        Id id = Id.of("test", Q, bytes("x"));

        assertEquals(id, Id.of("test", Q, bytes("x")));
        assertFalse(id.equals(Id.of("test2", Q, bytes("x"))));
        assertFalse(id.equals(Id.of("test", PeerName.parse("02:00:00:00:0e:02"), bytes("x"))));
        assertFalse(id.equals(Id.of("test", Q, bytes("y"))));
        // the channel's length is hashed too: ("ab", "c...") is not ("a", "bc...")
        assertFalse(Id.of("ab", Q, bytes("c")).equals(Id.of("a", Q, bytes("bc"))));
    }

    @Test
    void malformedRepairMessagesAreProtocolErrorsNamingWhatIsWrong() {
        byte[] have = BroadcastRepair.have(List.of(Id.of("test", Q, bytes("one"))));

        assertTrue(assertThrows(ProtocolException.class, () -> BroadcastRepair.decode(new byte[0])).getMessage().contains("truncated"));
        assertTrue(assertThrows(ProtocolException.class, () -> BroadcastRepair.decode(new byte[] {9})).getMessage().contains("type 9"));
        assertTrue(assertThrows(ProtocolException.class, () -> BroadcastRepair.decode(Arrays.copyOf(have, have.length - 1)))
                .getMessage().contains("ids in"));
        assertTrue(assertThrows(ProtocolException.class, () -> BroadcastRepair.decode(Arrays.copyOf(have, have.length + 1)))
                .getMessage().contains("ids in"));
        // more ids than one message may carry, each of them present: refused by count
        byte[] tooMany = BroadcastRepair.have(java.util.Collections.nCopies(BroadcastRepair.MAX_IDS + 1, new Id(1, 2)));
        assertTrue(assertThrows(ProtocolException.class, () -> BroadcastRepair.decode(tooMany)).getMessage().contains("at most 256"));
        // a channel name longer than the message, and one over the bound
        assertTrue(assertThrows(ProtocolException.class, () -> BroadcastRepair.decode(new byte[] {3, 40, 'a'}))
                .getMessage().contains("channel name of 40 bytes"));
        byte[] longName = BroadcastRepair.data("x".repeat(BroadcastRepair.MAX_CHANNEL_NAME_BYTES + 1), Q, bytes("m"));
        assertTrue(assertThrows(ProtocolException.class, () -> BroadcastRepair.decode(longName)).getMessage().contains("at most 1024"));
        assertTrue(assertThrows(ProtocolException.class, () -> BroadcastRepair.decode(new byte[] {3, 1, 'a', 2, 0}))
                .getMessage().contains("truncated"));
    }

    @Test
    void randomAndMutatedBytesRaiseOnlyProtocolExceptions() {
        Random random = new Random(17);
        List<byte[]> good = List.of(BroadcastRepair.have(List.of(new Id(1, 2), new Id(3, 4))),
                BroadcastRepair.want(List.of(new Id(5, 6))), BroadcastRepair.data("test", Q, bytes("payload")));
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = good.get(random.nextInt(good.size())).clone();
            if (random.nextBoolean()) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            } else {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 8));
            }
            try {
                BroadcastRepair.decode(bytes);
            } catch (ProtocolException expected) {
                // the only way to fail
            }
        }
    }

    @Test
    void aBroadcastTheTreeDidNotBringIsAskedForFromTheJavaNeighbourThatAnnouncedItThenRelayedAndDeliveredOnce()
            throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             JavaPeer downstream = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("downstream"));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 1))) {
            downstream.connect(router);
            java.announce(List.of(new ConnectionSummary(router.name(), router.address(), true, true)));
            await().atMost(WAIT).until(() -> downstream.knowsAndReaches(java.name) && router.knowsAndReaches(java.name));
            byte[] message = bytes("the tree lost this");
            Id id = Id.of(JavaPeer.CHANNEL, java.name, message);

            java.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, BroadcastRepair.have(List.of(id)));

            Message want = nextRepairMessage(java, m -> m.type() == Message.WANT);
            assertEquals(List.of(id), want.ids(), "the router asks for what was announced");
            java.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, BroadcastRepair.data(JavaPeer.CHANNEL, java.name, message));
            await().atMost(WAIT).until(() -> downstream.gossiper.count("broadcast", "the tree lost this") == 1);
            assertEquals(1, router.gossiper.count("broadcast", "the tree lost this"));
            assertEquals(1, router.router.status().counters().broadcastsRepaired());
            assertEquals(0, downstream.router.status().counters().broadcastsRepaired(), "downstream had it by the tree");

            // the tree's copy, late: dropped before the gossiper
            java.gossip(ProtocolTag.GOSSIP_BROADCAST, JavaPeer.CHANNEL, message);
            await().atMost(WAIT).until(() -> router.router.status().counters().broadcastCopiesDropped() == 1);
            assertEquals(1, router.gossiper.count("broadcast", "the tree lost this"));
            assertEquals(1, downstream.gossiper.count("broadcast", "the tree lost this"));
        }
    }

    @Test
    void aMessageAnnouncedWhileTheNextAskIsAnAskAgainASecondAwayIsAskedForWithoutWaitingForIt() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer first = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 4));
             HostilePeer second = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 5))) {
            linkedTo(router, first);
            linkedTo(router, second);
            Id never = Id.of(JavaPeer.CHANNEL, first.name, bytes("announced, never sent"));
            first.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, BroadcastRepair.have(List.of(never)));
            nextRepairMessage(first, m -> m.type() == Message.WANT && m.ids().equals(List.of(never)));
            // the next announcer of it is asked a second after the first was: the next ask scheduled
            second.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, BroadcastRepair.have(List.of(never)));

            Id soon = Id.of(JavaPeer.CHANNEL, first.name, bytes("announced now"));
            first.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, BroadcastRepair.have(List.of(soon)));

            nextRepairMessage(first, m -> m.type() == Message.WANT && m.ids().contains(soon));
            assertTrue(repairMessagesFor(second, Duration.ofMillis(100)).stream().noneMatch(m -> m.type() == Message.WANT),
                    "the message announced now was asked for only with the ask again, a second after the first ask");
        }
    }

    @Test
    void aWantIsAnsweredOnceForEachNeighbourAndOnlyForWhatThisPeerSent() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 2))) {
            linkedTo(router, java);
            router.broadcast("mine");
            Id mine = Id.of(JavaPeer.CHANNEL, router.name(), bytes("mine"));
            Id unknown = Id.of(JavaPeer.CHANNEL, router.name(), bytes("never sent"));

            for (int i = 0; i < 3; i++) {
                java.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, BroadcastRepair.want(List.of(mine, unknown)));
            }

            List<Message> answers = repairMessagesFor(java, Duration.ofMillis(1500));
            assertEquals(1, answers.stream().filter(m -> m.type() == Message.DATA).count(), "answers: " + answers);
            Message data = answers.stream().filter(m -> m.type() == Message.DATA).findFirst().orElseThrow();
            assertEquals(router.name(), data.source());
            assertArrayEquals(bytes("mine"), data.message());
            assertFalse(java.raw.closedByRemote(200), "a want for what this peer does not have is not an error");
        }
    }

    @Test
    void anAnswerNobodyAskedForIsDroppedAndItsConnectionKept() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 3))) {
            linkedTo(router, java);
            byte[] announced = bytes("announced");
            java.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL,
                    BroadcastRepair.have(List.of(Id.of(JavaPeer.CHANNEL, java.name, announced))));
            nextRepairMessage(java, m -> m.type() == Message.WANT);

            // unasked, and asked for but with other bytes than the id announced
            java.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, BroadcastRepair.data(JavaPeer.CHANNEL, java.name, bytes("unasked")));
            java.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, BroadcastRepair.data(JavaPeer.CHANNEL, java.name, bytes("forged")));

            assertFalse(java.raw.closedByRemote(1000));
            assertEquals(0, router.gossiper.received.size(), "delivered: " + router.gossiper.received);
            assertEquals(0, router.router.status().counters().broadcastsRepaired());
        }
    }

    @Test
    void aMalformedRepairMessageClosesItsConnection() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 4))) {
            java.announce(List.of());
            java.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, new byte[] {1, (byte) 0xff, (byte) 0xff, 0x7f});

            assertTrue(java.raw.closedByRemote(10_000));
        }
    }

    @Test
    void aGoPeerOnTheRepairChannelIsIgnored() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer go = HostilePeer.join(router.router.port(), HostilePeer.inventedName(0x0e, 5))) {
            go.announce(List.of(new ConnectionSummary(router.name(), router.address(), true, true)));
            go.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL,
                    BroadcastRepair.have(List.of(Id.of(JavaPeer.CHANNEL, go.name, bytes("from go")))));
            go.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL, new byte[] {9, 9, 9});

            assertTrue(repairMessagesFor(go, Duration.ofMillis(1000)).isEmpty(), "nothing is asked of a Go peer");
            assertFalse(go.raw.closedByRemote(200));
        }
    }

    @Test
    void withRepairOffAnnouncementsAreIgnoredAndCopiesDelivered() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router").broadcastRepair(false));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 6))) {
            linkedTo(router, java);
            java.gossip(ProtocolTag.GOSSIP, BroadcastRepair.CHANNEL,
                    BroadcastRepair.have(List.of(Id.of(JavaPeer.CHANNEL, java.name, bytes("x")))));
            java.gossip(ProtocolTag.GOSSIP_BROADCAST, JavaPeer.CHANNEL, bytes("twice"));
            java.gossip(ProtocolTag.GOSSIP_BROADCAST, JavaPeer.CHANNEL, bytes("twice"));

            assertTrue(repairMessagesFor(java, Duration.ofMillis(1000)).isEmpty());
            await().atMost(WAIT).until(() -> router.gossiper.count("broadcast", "twice") == 2);
        }
    }

    @Test
    void aBroadcastOverTheRepairSizeGoesByTheTreeAloneAndIsNotDeduplicated() throws Exception {
        try (JavaPeer router = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router"));
             HostilePeer java = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 7))) {
            linkedTo(router, java);
            String large = "L".repeat(BroadcastRepair.MAX_MESSAGE_BYTES + 1);

            java.gossip(ProtocolTag.GOSSIP_BROADCAST, JavaPeer.CHANNEL, bytes(large));
            java.gossip(ProtocolTag.GOSSIP_BROADCAST, JavaPeer.CHANNEL, bytes(large));

            await().atMost(WAIT).until(() -> router.gossiper.count("broadcast", large) == 2);
            assertEquals(0, router.router.status().counters().broadcastCopiesDropped());
        }
    }

    @Test
    void theRoutersOwnChannelsCannotBeRegistered() {
        Router router = Router.builder().listen("127.0.0.1", 0).build();
        for (String reserved : List.of(BroadcastRepair.CHANNEL, TopologyDigest.CHANNEL, TopologyNews.CHANNEL)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> router.newGossip(reserved, new RecordingGossiper()));
            assertTrue(e.getMessage().contains("router's own"), e.getMessage());
        }
    }

    // The scripted peer describes its link to the router, which then knows and reaches it.
    private static void linkedTo(JavaPeer router, HostilePeer peer) throws IOException {
        peer.announce(List.of(new ConnectionSummary(router.name(), router.address(), true, true)));
        await().atMost(WAIT).until(() -> router.knowsAndReaches(peer.name));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // The next repair message matching, skipping everything else the router sends; fails after WAIT.
    private static Message nextRepairMessage(HostilePeer peer, java.util.function.Predicate<Message> wanted) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Message m : repairMessagesFor(peer, Duration.ofMillis(200))) {
                if (wanted.test(m)) {
                    return m;
                }
            }
        }
        throw new AssertionError("no such repair message in " + WAIT);
    }

    // Every repair message the router sends the peer within the time given.
    private static List<Message> repairMessagesFor(HostilePeer peer, Duration during) throws IOException {
        List<Message> out = new ArrayList<>();
        long until = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < until) {
            peer.raw.socket.setSoTimeout(100);
            try {
                byte[] frame = peer.raw.readFrame();
                if (frame.length > 0 && frame[0] == ProtocolTag.GOSSIP.code()) {
                    GossipFrame gossip = WireCodec.decodeGossip(Arrays.copyOfRange(frame, 1, frame.length));
                    if (gossip.channel().equals(BroadcastRepair.CHANNEL)) {
                        out.add(BroadcastRepair.decode(gossip.data()));
                    }
                }
            } catch (SocketTimeoutException e) {
                // nothing yet
            }
        }
        return out;
    }
}
