package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * Two connections between the same two peers (both dialled at once): mesh's tie-break keeps
 * one, and no broadcast is lost on the one it drops, whichever end learnt of it first.
 * The remote peer is driven by hand, so it can pick the tie-break's winner and write exactly
 * when the race would otherwise lose a message.
 */
class DuplicateConnectionTest {
    private static final String REMOTE = "00:00:00:00:02:02";
    /** The connection uid (ConnID xor ConnID) of the connection that loses the tie-break. */
    private static final long LOSER_UID = -1L;
    /** The connection uid of the one that wins it: the smaller, unsigned. */
    private static final long WINNER_UID = 1L;

    private JavaPeer local;
    private final PeerName remote = PeerName.parse(REMOTE);

    @BeforeEach
    void startLocalPeer() {
        local = JavaPeer.start("00:00:00:00:02:01", "local", false);
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void aBroadcastTheRemotePeerWroteOnTheDroppedDuplicateBeforeItKnewIsStillDelivered() throws IOException {
        try (RawPeer first = connect(LOSER_UID)) {
            awaitConnectionVia(first);
            try (RawPeer second = connect(WINNER_UID)) {
                // the local peer keeps the second and drops the first ...
                awaitConnectionVia(second);
                // ... while the remote peer, not having read that yet, broadcasts on the first
                first.writeFrame(ProtocolTag.GOSSIP_BROADCAST, broadcastPayload(remote, "sent on the dropped one"));

                await().atMost(Duration.ofSeconds(5)).until(() ->
                        local.gossiper.count("broadcast", "sent on the dropped one") == 1);
            }
        }
    }

    @Test
    void aBroadcastRoutedToTheDroppedDuplicateGoesOutOnTheConnectionThatReplacedIt() throws IOException {
        try (RawPeer first = connect(LOSER_UID)) {
            awaitConnectionVia(first);
            // a broadcast routed with the routes of a moment before the tie-break: to the first
            Connection dropped = local.router.localPeer.state().connections().get(remote);
            try (RawPeer second = connect(WINNER_UID)) {
                awaitConnectionVia(second);

                dropped.sender((GossipChannel) local.gossip).broadcast(local.name(), GossipData.ofMessages(utf8("routed a moment too early")));

                assertTrue(receivesBroadcast(second, "routed a moment too early"),
                        "the broadcast queued for the dropped connection came out on its replacement");
            }
        }
    }

    @Test
    void aBroadcastRoutedToAConnectionThatJustClosedGoesOutOnTheNextConnectionToThatPeer() throws IOException {
        Connection closed;
        try (RawPeer first = connect(LOSER_UID)) {
            awaitConnectionVia(first);
            closed = local.router.localPeer.state().connections().get(remote);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> local.router.status().connections().isEmpty());
        closed.sender((GossipChannel) local.gossip).broadcast(local.name(), GossipData.ofMessages(utf8("routed a moment too early")));

        try (RawPeer second = connect(WINNER_UID)) {
            awaitConnectionVia(second);
            assertTrue(receivesBroadcast(second, "routed a moment too early"),
                    "the broadcast queued for the closed connection came out on the next one to the same peer");
        }
    }

    /** Connects as the remote peer, choosing our ConnID so that the connection's uid is {@code uid}. */
    private RawPeer connect(long uid) throws IOException {
        RawPeer raw = new RawPeer(local.router.port());
        raw.write(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2});
        raw.read(7);
        raw.write(new byte[] {0});
        raw.read(1);
        Map<String, String> theirs = WireCodec.decodeFeatures(raw.readFrame());
        long connId = Long.parseUnsignedLong(theirs.get("ConnID")) ^ uid;
        Map<String, String> features = new LinkedHashMap<>();
        features.put("PeerNameFlavour", "mac");
        features.put("Name", REMOTE);
        features.put("NickName", "raw");
        features.put("UID", "12345");
        features.put("ConnID", Long.toUnsignedString(connId));
        raw.writeFrame(WireCodec.encodeFeatures(features));
        return raw;
    }

    /** Waits until the local peer's one connection to the remote peer is {@code raw}'s. */
    private void awaitConnectionVia(RawPeer raw) {
        await().atMost(Duration.ofSeconds(5)).until(() -> local.router.status().connections().stream()
                .anyMatch(c -> c.name().equals(remote) && c.address().equals(raw.remoteTag())));
    }

    private static byte[] broadcastPayload(PeerName source, String text) {
        return WireCodec.encodeGossip(new GossipFrame(JavaPeer.CHANNEL, source, utf8(text)));
    }

    /** Reads frames until a broadcast of {@code text} on the test channel; false when none comes within 5 s. */
    private static boolean receivesBroadcast(RawPeer raw, String text) throws IOException {
        raw.socket.setSoTimeout(5_000);
        try {
            while (true) {
                byte[] frame = raw.readFrame();
                if (frame.length == 0 || frame[0] != (byte) ProtocolTag.GOSSIP_BROADCAST.code()) {
                    continue;
                }
                GossipFrame gossip = WireCodec.decodeGossip(Arrays.copyOfRange(frame, 1, frame.length));
                if (gossip.channel().equals(JavaPeer.CHANNEL) && Arrays.equals(gossip.data(), utf8(text))) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
