package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The frames after the intro as the connection sees them: the first is the remote peer's
 * features, each later one a message by its tag; what the decoder refuses, and with which of
 * the protocol's exceptions.
 */
class ProtocolMessageDecoderTest {
    private static final Map<String, String> FEATURES = features();

    private final EmbeddedChannel channel = new EmbeddedChannel(new ProtocolMessageDecoder());

    private static Map<String, String> features() {
        Map<String, String> features = new LinkedHashMap<>();
        features.put("PeerNameFlavour", "mac");
        features.put("Name", "00:00:00:00:0c:02");
        features.put("NickName", "theirs");
        return features;
    }

    private ProtocolMessage read(int... bytes) {
        byte[] frame = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            frame[i] = (byte) bytes[i];
        }
        return read(frame);
    }

    private ProtocolMessage read(byte[] frame) {
        ByteBuf buf = Unpooled.buffer(frame.length).writeBytes(frame); // not the shared empty buffer, which is never released
        channel.writeInbound(buf);
        assertEquals(0, buf.refCnt(), "the frame is released once decoded");
        return channel.readInbound();
    }

    private void readFeatures() {
        assertEquals(new ProtocolMessage.Features(FEATURES), read(WireCodec.encodeFeatures(FEATURES)));
    }

    @Test
    void theFirstFrameIsTheRemotePeersFeaturesInWireOrder() {
        ProtocolMessage first = read(WireCodec.encodeFeatures(FEATURES));

        ProtocolMessage.Features features = assertInstanceOf(ProtocolMessage.Features.class, first);
        assertEquals(FEATURES, features.features());
        assertEquals(FEATURES.keySet().stream().toList(), features.features().keySet().stream().toList());
    }

    @Test
    void aGossipFrameAfterTheFeaturesIsItsTagAndItsPayloadWithoutTheTagByte() {
        readFeatures();
        for (ProtocolTag tag : new ProtocolTag[] {ProtocolTag.GOSSIP, ProtocolTag.GOSSIP_UNICAST, ProtocolTag.GOSSIP_BROADCAST}) {
            ProtocolMessage.Gossip gossip = assertInstanceOf(ProtocolMessage.Gossip.class, read((byte) tag.code(), 7, 8, 9));

            assertEquals(tag, gossip.tag());
            assertArrayEquals(new byte[] {7, 8, 9}, gossip.payload());
        }
    }

    @Test
    void aGossipFrameWithNothingAfterItsTagHasAnEmptyPayload() {
        readFeatures();

        ProtocolMessage.Gossip gossip = assertInstanceOf(ProtocolMessage.Gossip.class, read((byte) ProtocolTag.GOSSIP.code()));

        assertArrayEquals(new byte[0], gossip.payload());
    }

    @Test
    void heartbeatsReservedTagsUnknownTagsAndBlankFramesAreTheirOwnMessages() {
        readFeatures();

        assertEquals(new ProtocolMessage.Heartbeat(), read((byte) ProtocolTag.HEARTBEAT.code()));
        assertEquals(new ProtocolMessage.Heartbeat(), read((byte) ProtocolTag.HEARTBEAT.code(), 1, 2));
        assertEquals(new ProtocolMessage.Reserved(ProtocolTag.CONN_ESTABLISHED), read((byte) 1));
        assertEquals(new ProtocolMessage.Reserved(ProtocolTag.FRAGMENTATION_TEST), read((byte) 2, 0));
        assertEquals(new ProtocolMessage.Reserved(ProtocolTag.PMTU_VERIFIED), read((byte) 3));
        assertEquals(new ProtocolMessage.Reserved(ProtocolTag.OVERLAY_CONTROL_MSG), read((byte) 7, 1));
        assertEquals(new ProtocolMessage.Unknown(8), read((byte) 8));
        assertEquals(new ProtocolMessage.Unknown(255), read(0xFF, 1));
        assertEquals(new ProtocolMessage.Blank(), read());
    }

    @Test
    void onlyTheFirstFrameIsReadAsFeatures() {
        readFeatures();

        ProtocolMessage second = read(WireCodec.encodeFeatures(FEATURES));

        assertInstanceOf(ProtocolMessage.Unknown.class, second, "a gob map's first byte is its length, not a tag");
    }

    @Test
    void aFirstFrameThatIsNotAFeatureMapFailsWithAGobDecodingExceptionAndNothingAfterItIsDelivered() {
        DecoderException refused = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) ProtocolTag.GOSSIP.code(), 1, 2})));
        assertInstanceOf(GobDecodingException.class, refused.getCause());
        assertNull(channel.readInbound());

        ByteBuf after = Unpooled.wrappedBuffer(WireCodec.encodeFeatures(FEATURES));
        channel.writeInbound(after);

        assertNull(channel.readInbound(), "a connection whose features were bad reads nothing more");
        assertEquals(0, after.refCnt());
    }

    @Test
    void aFeatureMapWithBytesAfterItFailsWithAGobDecodingException() {
        byte[] valid = WireCodec.encodeFeatures(FEATURES);
        byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 3);

        DecoderException refused = assertThrows(DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(longer)));

        assertInstanceOf(GobDecodingException.class, refused.getCause());
    }

    @Test
    void aFrameAtTheLimitIsReadAndOneByteOverItFailsWithAProtocolException() {
        EmbeddedChannel bounded = new EmbeddedChannel(new ProtocolMessageDecoder(32));
        bounded.writeInbound(Unpooled.wrappedBuffer(WireCodec.encodeFeatures(Map.of()))); // 20 bytes
        assertInstanceOf(ProtocolMessage.Features.class, bounded.readInbound());
        bounded.writeInbound(Unpooled.wrappedBuffer(new byte[32]));
        assertEquals(new ProtocolMessage.Heartbeat(), bounded.readInbound());

        ByteBuf over = Unpooled.wrappedBuffer(new byte[33]);
        DecoderException refused = assertThrows(DecoderException.class, () -> bounded.writeInbound(over));

        ProtocolException cause = assertInstanceOf(ProtocolException.class, refused.getCause());
        assertEquals("a frame of 33 bytes exceeds the maximum of 32", cause.getMessage());
        assertEquals(0, over.refCnt());
        assertNull(bounded.readInbound());
    }

    @Test
    void aFeatureFrameOverTheLimitFailsWithAProtocolExceptionBeforeItIsDecoded() {
        EmbeddedChannel bounded = new EmbeddedChannel(new ProtocolMessageDecoder(4));

        DecoderException refused = assertThrows(DecoderException.class,
                () -> bounded.writeInbound(Unpooled.wrappedBuffer(WireCodec.encodeFeatures(FEATURES))));

        assertInstanceOf(ProtocolException.class, refused.getCause());
    }
}
