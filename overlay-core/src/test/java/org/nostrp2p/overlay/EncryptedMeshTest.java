package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * A Java peer of a mesh with a password: what it exchanges with peers that share the
 * password, and how it refuses those that do not, or that send a frame the session key does
 * not authenticate: that connection closes with one log line saying why, and the peer goes
 * on serving.
 */
class EncryptedMeshTest {
    private static final byte[] PASSWORD = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private static JavaPeer peer;
    private static LogCapture log;

    @BeforeAll
    static void start() {
        log = new LogCapture();
        peer = JavaPeer.start(encrypted("00:00:00:00:0e:01", "guarded"));
    }

    @AfterAll
    static void stop() {
        peer.close();
        log.close();
    }

    private static Router.Builder encrypted(String name, String nickName) {
        return Router.builder().name(PeerName.parse(name)).nickName(nickName).listen("127.0.0.1", 0)
                .peerDiscovery(false).password(PASSWORD);
    }

    private static byte[] heartbeat() {
        return new byte[] {(byte) ProtocolTag.HEARTBEAT.code()};
    }

    private void assertClosedWithOneLogLine(EncryptedRawPeer raw, String expectedReason) throws IOException {
        assertClosedWithOneLogLine(raw.raw, expectedReason);
    }

    private void assertClosedWithOneLogLine(RawPeer raw, String expectedReason) throws IOException {
        assertTrue(raw.closedByRemote(5_000), "the peer should close the connection");
        // (a connection refused after the features also logs its addition and deletion)
        await().atMost(Duration.ofSeconds(2)).until(() -> !shutdownLines(raw).isEmpty());
        List<String> lines = shutdownLines(raw);
        assertEquals(1, lines.size(), "exactly one line says why the connection ended: " + lines);
        assertTrue(lines.get(0).contains(expectedReason), lines.get(0));
        try (EncryptedRawPeer good = new EncryptedRawPeer(peer.router.port(), PASSWORD)) {
            assertEquals("00:00:00:00:0e:01", good.handshake("00:00:00:00:0e:99").get("Name"));
        }
    }

    private static List<String> shutdownLines(RawPeer raw) {
        return log.linesContaining(raw.remoteTag()).stream().filter(l -> l.contains("shutting down")).toList();
    }

    @Test
    void twoJavaPeersWithTheSamePasswordCarryBroadcastsAndUnicastsBothWays() {
        try (JavaPeer other = JavaPeer.start(encrypted("00:00:00:00:0e:02", "other"))) {
            other.connect(peer);
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.knowsAndReaches(other.name())
                    && other.knowsAndReaches(peer.name()));

            peer.broadcast("to all, sealed");
            other.broadcast("back to all, sealed");
            assertTrue(peer.unicast(other.name(), "to you, sealed"));
            assertTrue(other.unicast(peer.name(), "back to you, sealed"));

            await().atMost(Duration.ofSeconds(10)).until(() -> other.gossiper.count("broadcast", "to all, sealed") == 1
                    && peer.gossiper.count("broadcast", "back to all, sealed") == 1
                    && other.gossiper.count("unicast", "to you, sealed") == 1
                    && peer.gossiper.count("unicast", "back to you, sealed") == 1);
        }
    }

    @Test
    void aBroadcastThatWouldFitAPlainFrameButNotASealedOneIsDroppedWithoutClosingTheConnection() {
        try (JavaPeer other = JavaPeer.start(encrypted("00:00:00:00:0e:08", "other"))) {
            other.connect(peer);
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.knowsAndReaches(other.name())
                    && other.knowsAndReaches(peer.name()));
            // a frame body 8 bytes under mesh's cap: 8 bytes over it once sealed
            int size = WireCodec.MAX_FRAME_BYTES - 40;
            size += WireCodec.MAX_FRAME_BYTES - 8 - 1 - WireCodec.encodeGossip(new GossipFrame(JavaPeer.CHANNEL, peer.name(), new byte[size])).length;
            assertEquals(WireCodec.MAX_FRAME_BYTES - 8,
                    1 + WireCodec.encodeGossip(new GossipFrame(JavaPeer.CHANNEL, peer.name(), new byte[size])).length);

            peer.gossip.gossipBroadcast(GossipData.ofMessages(new byte[size]));
            peer.broadcast("small, after the big one");

            await().atMost(Duration.ofSeconds(10)).until(() -> other.gossiper.count("broadcast", "small, after the big one") == 1);
            assertEquals(1, other.gossiper.received.size());
            assertTrue(peer.router.status().connections().stream().anyMatch(c -> c.name().equals(other.name())));
        }
    }

    @Test
    void theStatusSaysTheMeshIsEncryptedOnlyWhenItHasAPassword() {
        assertTrue(peer.router.status().encryption());
        assertFalse(Router.builder().listen("127.0.0.1", 0).build().status().encryption());
    }

    @Test
    void anEmptyPasswordIsRefusedAsAMistake() {
        assertThrows(IllegalArgumentException.class, () -> Router.builder().password(new byte[0]));
    }

    @Test
    void aJavaPeerWithAnotherPasswordNeverJoins() {
        try (JavaPeer stranger = JavaPeer.start(encrypted("00:00:00:00:0e:03", "stranger")
                .password("another password".getBytes(StandardCharsets.UTF_8)))) {
            stranger.connect(peer);
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.linesContaining("different mesh password").isEmpty());
            assertFalse(peer.knows(stranger.name()));
            assertFalse(stranger.knows(peer.name()));
        }
    }

    @Test
    void aPeerWithAnotherPasswordIsRefusedAtItsFirstFrame() throws IOException {
        try (EncryptedRawPeer raw = new EncryptedRawPeer(peer.router.port(), "guess".getBytes(StandardCharsets.UTF_8))) {
            raw.sendFeatures("00:00:00:00:0e:04");
            assertClosedWithOneLogLine(raw, "the remote peer's first encrypted frame does not authenticate:"
                    + " it uses a different mesh password");
        }
    }

    @Test
    void aPeerWithoutAPasswordIsRefused() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2, 0});
            assertClosedWithOneLogLine(raw, "the remote peer has no password and asked for a plain connection;"
                    + " this mesh is encrypted");
        }
    }

    @Test
    void aReplayedFrameIsRefused() throws IOException {
        try (EncryptedRawPeer raw = new EncryptedRawPeer(peer.router.port(), PASSWORD)) {
            raw.handshake("00:00:00:00:0e:05");
            byte[] first = raw.seal(heartbeat());
            raw.send(first);
            raw.send(raw.seal(heartbeat()));
            raw.send(first);
            assertClosedWithOneLogLine(raw, "encrypted frame 3 is a replay of frame 1 (refused)");
        }
    }

    @Test
    void aFrameSentBeforeAnEarlierOneIsRefused() throws IOException {
        try (EncryptedRawPeer raw = new EncryptedRawPeer(peer.router.port(), PASSWORD)) {
            raw.handshake("00:00:00:00:0e:06");
            byte[] one = raw.seal(heartbeat());
            byte[] two = raw.seal(heartbeat());
            raw.send(two);
            raw.send(one);
            assertClosedWithOneLogLine(raw, "encrypted frame 1 is frame 2 out of order (refused)");
        }
    }

    @Test
    void anAlteredFrameIsRefused() throws IOException {
        try (EncryptedRawPeer raw = new EncryptedRawPeer(peer.router.port(), PASSWORD)) {
            raw.handshake("00:00:00:00:0e:07");
            byte[] frame = raw.seal(heartbeat());
            frame[frame.length - 1] ^= 0x01;
            raw.send(frame);
            assertClosedWithOneLogLine(raw, "encrypted frame 1 failed authentication");
        }
    }
}
