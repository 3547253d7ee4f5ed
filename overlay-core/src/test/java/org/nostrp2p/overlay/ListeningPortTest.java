package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * What a Java peer does with what arrives on its listening port: the handshake as mesh speaks
 * it, and bad input, which closes that connection with one log line while the peer goes on
 * serving.
 */
class ListeningPortTest {
    private static JavaPeer peer;
    private static LogCapture log;

    @BeforeAll
    static void start() {
        log = new LogCapture();
        peer = JavaPeer.start("00:00:00:00:02:01", "listener", false);
    }

    @AfterAll
    static void stop() {
        peer.close();
        log.close();
    }

    private static byte[] validHeaderAndFlag() {
        return new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2, 0};
    }

    private void assertClosedWithOneLogLine(RawPeer raw, String expectedReason) throws IOException {
        assertTrue(raw.closedByRemote(5_000), "the peer should close the connection");
        await().atMost(Duration.ofSeconds(2)).until(() -> !log.linesContaining(raw.remoteTag()).isEmpty());
        List<String> lines = log.linesContaining(raw.remoteTag());
        assertEquals(1, lines.size(), "exactly one log line for the connection: " + lines);
        assertTrue(lines.get(0).contains(expectedReason), lines.get(0));
        assertAdmitsTheNextGoodPeer();
    }

    private void assertAdmitsTheNextGoodPeer() throws IOException {
        try (RawPeer good = new RawPeer(peer.router.port())) {
            Map<String, String> features = good.handshake("00:00:00:00:02:99");
            assertEquals("00:00:00:00:02:01", features.get("Name"));
        }
    }

    @Test
    void itSendsTheWeaveHeaderWithVersionTwoOnly() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            assertArrayEquals(new byte[] {0x77, 0x65, 0x61, 0x76, 0x65, 0x02, 0x02}, raw.read(7));
        }
    }

    @Test
    void itNegotiatesVersionTwoWithAPeerOfferingOneToTwoAndSendsItsFeatures() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            Map<String, String> features = raw.handshake("00:00:00:00:02:02");
            assertEquals("mac", features.get("PeerNameFlavour"));
            assertEquals("00:00:00:00:02:01", features.get("Name"));
            assertEquals("listener", features.get("NickName"));
            assertTrue(Integer.parseInt(features.get("ShortID")) < 4096);
            assertTrue(Long.parseUnsignedLong(features.get("UID")) != 0);
            Long.parseUnsignedLong(features.get("ConnID"));
            assertEquals("false", features.get("Trusted"));
            assertEquals(Integer.toString(peer.router.port()), features.get("ListenPort"));
            // then the topology: a tag 4 gossip frame on channel "topology" telling the new peer everything
            byte[] frame = raw.readFrame();
            while (frame.length > 0 && frame[0] == 6) {
                frame = raw.readFrame();
            }
            assertEquals(4, frame[0]);
        }
    }

    @Test
    void anHttpRequestIsRefused() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertClosedWithOneLogLine(raw, "remote protocol header not recognised");
        }
    }

    @Test
    void aWrongProtocolNameIsRefused() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write(new byte[] {'w', 'e', 'a', 'v', 'y', 1, 2});
            assertClosedWithOneLogLine(raw, "remote protocol header not recognised");
        }
    }

    @Test
    void protocolVersionOneIsRefused() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 1});
            assertClosedWithOneLogLine(raw, "remote version range [1,1] is incompatible with ours [2,2]");
        }
    }

    @Test
    void anEncryptedConnectionIsRefusedWithAClearMessage() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2, 1});
            raw.write(new byte[32]);
            assertClosedWithOneLogLine(raw, "asked for an encrypted connection");
        }
    }

    @Test
    void aFrameLengthOfFourGibibytesIsRefusedBeforeAnythingIsAllocated() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write(validHeaderAndFlag());
            raw.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            assertClosedWithOneLogLine(raw, "incoming frame of 4294967295 bytes exceeds the maximum of 10485760");
        }
    }

    @Test
    void malformedGobFeaturesAreRefused() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write(validHeaderAndFlag());
            raw.writeFrame(new byte[] {0x0E, (byte) 0xFF, (byte) 0x81, 0x04, 0x01, 0x02, (byte) 0xFF, (byte) 0x82, 0x00});
            assertTrue(raw.closedByRemote(5_000));
            await().atMost(Duration.ofSeconds(2)).until(() -> log.linesContaining(raw.remoteTag()).size() == 1);
            assertAdmitsTheNextGoodPeer();
        }
    }

    @Test
    void featuresWithoutAUidAreRefused() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write(validHeaderAndFlag());
            raw.writeFrame(WireCodec.encodeFeatures(Map.of("PeerNameFlavour", "mac", "Name", "00:00:00:00:02:03",
                    "NickName", "x", "ConnID", "1")));
            assertClosedWithOneLogLine(raw, "feature UID is missing");
        }
    }

    @Test
    void malformedGobInAGossipFrameAfterTheHandshakeIsRefused() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.handshake("00:00:00:00:02:04");
            raw.writeFrame(new byte[] {4, 0x05, 0x0C, 0x00, 0x09, 'x'});
            assertTrue(raw.closedByRemote(5_000));
            await().atMost(Duration.ofSeconds(2)).until(() -> log.linesContaining(raw.remoteTag()).stream()
                    .anyMatch(l -> l.contains("shutting down")));
            assertEquals(1, log.linesContaining(raw.remoteTag()).stream().filter(l -> l.contains("shutting down")).count());
            assertAdmitsTheNextGoodPeer();
        }
    }

    @Test
    void unknownTagsAndEmptyFramesAreIgnoredAsMeshIgnoresThem() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.handshake("00:00:00:00:02:05");
            raw.writeFrame(new byte[] {(byte) 0x99, 1, 2, 3});
            raw.writeFrame(new byte[0]);
            raw.writeFrame(new byte[] {7, 1});
            raw.writeFrame(new byte[] {0});
            // still served: a broadcast on an unknown channel is accepted and the connection stays open
            raw.writeFrame(concat(new byte[] {6},
                    WireCodec.encodeGossip(new GossipFrame("other", PeerName.parse("00:00:00:00:02:05"), new byte[] {1}))));
            assertFalse(raw.closedByRemote(500));
        }
    }

    @Test
    void randomBytesAreRefused() throws IOException {
        byte[] noise = new byte[1024];
        new Random(42).nextBytes(noise);
        noise[0] = 0x13;
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.write(noise);
            assertClosedWithOneLogLine(raw, "remote protocol header not recognised");
        }
    }

    @Test
    void aPeerUsingThisPeersNameWithAnotherUidIsRefusedAsACollision() throws IOException {
        try (RawPeer raw = new RawPeer(peer.router.port())) {
            raw.handshake("00:00:00:00:02:01");
            assertClosedWithOneLogLine(raw, "peer names collide");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aPeerFromATrustedSubnetIsToldItIsTrusted() throws IOException {
        Router trusting = Router.builder().name(PeerName.parse("00:00:00:00:02:0f")).nickName("trusting")
                .listen("127.0.0.1", 0).trustedSubnets(List.of("127.0.0.0/8")).build();
        trusting.start();
        try (RawPeer raw = new RawPeer(trusting.port())) {
            assertEquals("true", raw.handshake("00:00:00:00:02:10").get("Trusted"));
            assertEquals(List.of("127.0.0.0/8"), trusting.status().trustedSubnets());
        } finally {
            trusting.stop();
        }
    }
}
