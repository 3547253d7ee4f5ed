package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.slf4j.LoggerFactory;

/**
 * A {@link Connection} runs without a router: set up with {@link ConnectionSettings}, it tells
 * its {@link ConnectionHost} what it learns and asks it what changes. Real TCP on loopback, a
 * hand-driven mesh peer on the other end, a recording host on this one.
 */
class ConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final PeerName OURS = PeerName.parse("00:00:00:00:0c:01");
    private static final String THEIRS = "00:00:00:00:0c:02";
    private static final int TARGET_DEGREE = 6;

    @Test
    void aConnectionIntroducesItsPeerAsItsSettingsAndItsHostSay() throws IOException {
        RecordingHost host = new RecordingHost();
        host.shortId = 77;
        host.listenPort = 4242;
        try (Server server = new Server(settings(List.of("127.0.0.0/8"), NeighbourBudget.FRAMES_PER_SECOND), host);
             RawPeer raw = new RawPeer(server.port())) {
            Map<String, String> features = raw.handshake(THEIRS);

            assertEquals(OURS.toString(), features.get("Name"));
            assertEquals("spec", features.get("NickName"));
            assertEquals(Long.toUnsignedString(0xfeedL), features.get("UID"));
            assertEquals("77", features.get("ShortID"));
            assertEquals("4242", features.get(FeatureExchange.LISTEN_PORT_FEATURE));
            assertEquals("true", features.get("Trusted"), "loopback lies in the trusted 127.0.0.0/8");
            assertEquals(FeatureExchange.IMPLEMENTATION, features.get(FeatureExchange.IMPLEMENTATION_FEATURE));
        }
    }

    @Test
    void aConnectionThatReadTheRemoteFeaturesAsksItsHostToRegisterIt() throws IOException {
        RecordingHost host = new RecordingHost();
        try (Server server = new Server(settings(List.of(), NeighbourBudget.FRAMES_PER_SECOND), host);
             RawPeer raw = new RawPeer(server.port())) {
            raw.handshake(THEIRS);

            await().atMost(WAIT).until(() -> host.registered.size() == 1);
            Connection registered = host.registered.get(0);
            assertEquals(PeerName.parse(THEIRS), registered.remoteName());
            assertTrue(host.handshakesDone.contains(registered), "its handshake slot is freed");
        }
    }

    @Test
    void aGossipFrameOnARegisteredConnectionGoesToItsHostAndIsCounted() throws IOException {
        RecordingHost host = new RecordingHost();
        try (Server server = new Server(settings(List.of(), NeighbourBudget.FRAMES_PER_SECOND), host);
             RawPeer raw = new RawPeer(server.port())) {
            raw.handshake(THEIRS);
            await().atMost(WAIT).until(() -> host.registered.size() == 1);

            raw.writeFrame(new byte[] {(byte) ProtocolTag.GOSSIP_BROADCAST.code(), 1, 2, 3});

            await().atMost(WAIT).until(() -> host.gossip.size() == 1);
            assertEquals(ProtocolTag.GOSSIP_BROADCAST, host.gossip.get(0).tag());
            assertArrayEquals(new byte[] {1, 2, 3}, host.gossip.get(0).payload());
            assertEquals(host.registered.get(0), host.gossip.get(0).from());
            assertEquals(1, host.counters.framesReceived.sum());
            assertEquals(4, host.counters.bytesReceived.sum());
        }
    }

    @Test
    void anInboundConnectionToldItIsWelcomeHoldsAnAdmissionUntilItCloses() throws IOException {
        RecordingHost host = new RecordingHost();
        try (Server server = new Server(settings(List.of(), NeighbourBudget.FRAMES_PER_SECOND), host)) {
            RawPeer raw = new RawPeer(server.port());
            Map<String, String> features = raw.handshake(THEIRS);
            assertFalse(features.containsKey(FeatureExchange.FULL_FEATURE), "below the target degree");
            assertEquals(1, host.admissions.get());

            raw.close();

            await().atMost(WAIT).until(() -> host.closed.size() == 1);
            assertEquals(0, host.admissions.get());
            assertEquals("connection closed by the remote peer", host.closed.get(0).closeReason());
        }
    }

    @Test
    void anInboundConnectionWhenItsHostHasTwiceTheTargetDegreeSaysItIsFullAndAtItsLimitAndKeepsNoAdmission()
            throws IOException {
        RecordingHost host = new RecordingHost();
        host.connections = Admission.SEED_LINKS_PER_DEGREE * TARGET_DEGREE;
        try (Server server = new Server(settings(List.of(), NeighbourBudget.FRAMES_PER_SECOND), host);
             RawPeer raw = new RawPeer(server.port())) {
            Map<String, String> features = raw.handshake(THEIRS);

            assertEquals("1", features.get(FeatureExchange.FULL_FEATURE));
            assertEquals("1", features.get(FeatureExchange.AT_LIMIT_FEATURE));
            // room for a linkless dialler is held while the features cross; this one did not say
            // it is linkless, so the room is given back and the connection stays at the limit
            assertEquals("1", features.get(FeatureExchange.LINKLESS_ROOM_FEATURE));
            await().atMost(WAIT).until(() -> host.admissions.get() == 0);
            assertTrue(host.registered.isEmpty() || host.registered.get(0).saidAtLimit());
        }
    }

    @Test
    void aFullPeerWithRoomKeepsALinklessJavaDiallerAsAnOrdinaryLinkButNotPastTheRoom() throws IOException {
        Map<String, String> linklessJava = Map.of(FeatureExchange.IMPLEMENTATION_FEATURE, FeatureExchange.IMPLEMENTATION,
                FeatureExchange.LINKLESS_FEATURE, "1");
        RecordingHost host = new RecordingHost();
        host.connections = Admission.SEED_LINKS_PER_DEGREE * TARGET_DEGREE;
        try (Server server = new Server(settings(List.of(), NeighbourBudget.FRAMES_PER_SECOND), host);
             RawPeer raw = new RawPeer(server.port())) {
            Map<String, String> features = raw.handshake(THEIRS, linklessJava);

            assertEquals("1", features.get(FeatureExchange.LINKLESS_ROOM_FEATURE));
            await().atMost(WAIT).until(() -> host.registered.size() == 1);
            assertFalse(host.registered.get(0).saidAtLimit(), "kept: registered as an ordinary link");
            assertEquals(1, host.admissions.get(), "held until the host registers or closes it");
        }

        RecordingHost fuller = new RecordingHost();
        fuller.connections = Admission.SEED_LINKS_PER_DEGREE * TARGET_DEGREE + Admission.LINKLESS_ROOM;
        try (Server server = new Server(settings(List.of(), NeighbourBudget.FRAMES_PER_SECOND), fuller);
             RawPeer raw = new RawPeer(server.port())) {
            Map<String, String> features = raw.handshake(THEIRS, linklessJava);

            assertEquals("1", features.get(FeatureExchange.AT_LIMIT_FEATURE));
            assertFalse(features.containsKey(FeatureExchange.LINKLESS_ROOM_FEATURE), "no room left past the limit");
            assertEquals(0, fuller.admissions.get());
        }
    }

    @Test
    void aNeighbourFarOverItsBudgetIsDisconnectedAndItsNameSuspendedByItsHost() throws IOException {
        RecordingHost host = new RecordingHost();
        // one frame a second, bursts of ten: forty heartbeats at once need a pause far over the longest
        try (Server server = new Server(settings(List.of(), 1), host);
             RawPeer raw = new RawPeer(server.port())) {
            raw.handshake(THEIRS);
            await().atMost(WAIT).until(() -> host.registered.size() == 1);

            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            DataOutputStream frames = new DataOutputStream(flood);
            for (int i = 0; i < 40; i++) {
                frames.writeInt(1);
                frames.writeByte(ProtocolTag.HEARTBEAT.code());
            }
            raw.write(flood.toByteArray());

            assertTrue(raw.closedByRemote(10_000));
            await().atMost(WAIT).until(() -> host.closed.size() == 1);
            // once: the frames read before the cut are dropped, not charged again (each suspension
            // doubles the next, so a first offence would otherwise get the longest)
            assertEquals(List.of(PeerName.parse(THEIRS)), host.suspended);
            assertTrue(host.counters.backPressurePauses.sum() > 0, "slowed down before it was cut");
            assertTrue(host.closed.get(0).closeReason().startsWith("over its frames or bytes per second budget"),
                    host.closed.get(0).closeReason());
        }
    }

    private static ConnectionSettings settings(List<String> trustedSubnets, double framesPerSecond) {
        return new ConnectionSettings(OURS, "spec", 0xfeedL, null, Connection.HEARTBEAT_MILLIS,
                TrustedSubnets.parse(trustedSubnets, true), OutboundBudget.DEFAULT_MAX_BYTES, framesPerSecond,
                NeighbourBudget.BYTES_PER_SECOND, TARGET_DEGREE, 64);
    }

    private record Gossip(Connection from, ProtocolTag tag, byte[] payload) {
    }

    /** A host that records what its connections tell it, and registers each one at once. */
    private static final class RecordingHost implements ConnectionHost {
        volatile int shortId = 1;
        volatile int listenPort = 1;
        volatile int connections;
        final AtomicInteger admissions = new AtomicInteger();
        final List<Connection> handshakesDone = new CopyOnWriteArrayList<>();
        final List<Connection> registered = new CopyOnWriteArrayList<>();
        final List<Gossip> gossip = new CopyOnWriteArrayList<>();
        final List<PeerName> suspended = new CopyOnWriteArrayList<>();
        final List<Connection> closed = new CopyOnWriteArrayList<>();
        final RouterCounters counters = new RouterCounters();
        private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(ConnectionTest.class));

        @Override
        public int listenPort() {
            return listenPort;
        }

        @Override
        public int shortId() {
            return shortId;
        }

        @Override
        public int connectionsAndAdmissions() {
            return connections + admissions.get();
        }

        @Override
        public void admissionOpened() {
            admissions.incrementAndGet();
        }

        @Override
        public void admissionClosed() {
            admissions.decrementAndGet();
        }

        @Override
        public void handshakeDone(Connection connection) {
            handshakesDone.add(connection);
        }

        @Override
        public void register(Connection connection) {
            registered.add(connection);
            connection.activate();
        }

        @Override
        public void receiveGossip(Connection from, ProtocolTag tag, byte[] payload) {
            gossip.add(new Gossip(from, tag, payload));
        }

        @Override
        public long suspend(PeerName name) {
            suspended.add(name);
            return Suspensions.FIRST_NANOS;
        }

        @Override
        public RouterCounters counters() {
            return counters;
        }

        @Override
        public RateLimitedLog connectionLog() {
            return log;
        }

        @Override
        public void closed(Connection connection) {
            closed.add(connection);
        }
    }

    /** A listening socket whose every accepted channel becomes a connection of {@code host}. */
    private static final class Server implements AutoCloseable {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final Channel listening;

        Server(ConnectionSettings settings, ConnectionHost host) {
            listening = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            Connection.attach(settings, host, ch, false, PeerAddress.join(ch.remoteAddress()), true);
                        }
                    })
                    .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        }

        int port() {
            return ((InetSocketAddress) listening.localAddress()).getPort();
        }

        @Override
        public void close() {
            listening.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
