package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The encrypted frames of one connection, between a dialler's codec and a listener's: what
 * each direction accepts, and what it refuses (with which {@link SecretBoxException.Kind}).
 */
class SecretBoxCodecTest {
    private static final byte[] PASSWORD = "mesh password".getBytes(StandardCharsets.UTF_8);

    private final SessionKey.KeyPair diallerKeys = SessionKey.generateKeyPair();
    private final SessionKey.KeyPair listenerKeys = SessionKey.generateKeyPair();
    private final EmbeddedChannel dialler = new EmbeddedChannel(new SecretBoxCodec(
            SessionKey.form(listenerKeys.publicKey(), diallerKeys.privateKey(), PASSWORD), true));
    private final EmbeddedChannel listener = new EmbeddedChannel(new SecretBoxCodec(
            SessionKey.form(diallerKeys.publicKey(), listenerKeys.privateKey(), PASSWORD), false));

    static byte[] seal(EmbeddedChannel channel, String text) {
        channel.writeOutbound(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
        ByteBuf sealed = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(sealed);
        } finally {
            sealed.release();
        }
    }

    static String open(EmbeddedChannel channel, byte[] sealed) {
        channel.writeInbound(Unpooled.wrappedBuffer(sealed));
        ByteBuf opened = channel.readInbound();
        try {
            return opened.toString(StandardCharsets.UTF_8);
        } finally {
            opened.release();
        }
    }

    static SecretBoxException refusal(EmbeddedChannel channel, byte[] sealed) {
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(sealed)));
        assertNull(channel.readInbound(), "nothing of a refused frame is delivered");
        return (SecretBoxException) e.getCause();
    }

    @Test
    void framesSealedByTheDiallerOpenAtTheListenerInOrder() {
        for (int i = 0; i < 5; i++) {
            assertEquals("frame " + i, open(listener, seal(dialler, "frame " + i)));
        }
    }

    @Test
    void eachDirectionHasItsOwnNoncesSoTheSameTextSealsDifferently() {
        byte[] fromDialler = seal(dialler, "same");
        byte[] fromListener = seal(listener, "same");

        assertEquals("same", open(listener, fromDialler));
        assertEquals("same", open(dialler, fromListener));
        assertTrue(!java.util.Arrays.equals(fromDialler, fromListener));
    }

    @Test
    void aFrameGrowsByTheSixteenBytesOfItsAuthenticator() {
        assertEquals(5 + SecretBoxCodec.OVERHEAD, seal(dialler, "12345").length);
    }

    @Test
    void aFrameSealedForTheOtherDirectionIsRefused() {
        byte[] fromListener = seal(listener, "reflected");

        SecretBoxException refused = refusal(listener, fromListener);
        assertEquals(SecretBoxException.Kind.WRONG_PASSWORD, refused.kind());
    }

    @Test
    void aReplayedFrameIsRefusedAsAReplay() {
        byte[] first = seal(dialler, "pay 10");
        open(listener, first);
        open(listener, seal(dialler, "next"));

        SecretBoxException refused = refusal(listener, first);
        assertEquals(SecretBoxException.Kind.REPLAYED, refused.kind());
        assertEquals("encrypted frame 2 is a replay of frame 0 (refused)", refused.getMessage());
    }

    @Test
    void aFrameArrivingBeforeAnEarlierOneIsRefusedAsReordered() {
        byte[] zero = seal(dialler, "zero");
        byte[] one = seal(dialler, "one");
        open(listener, zero);
        seal(dialler, "two (lost)");
        byte[] three = seal(dialler, "three");

        SecretBoxException refused = refusal(listener, three);
        assertEquals(SecretBoxException.Kind.REORDERED, refused.kind());
        assertEquals("encrypted frame 1 is frame 3 out of order (refused)", refused.getMessage());
        assertEquals(1, refused.sequenceNumber());
        // and the connection stays refused: even the frame it expected is not delivered now
        assertEquals(SecretBoxException.Kind.FORGED, refusal(listener, one).kind());
    }

    @Test
    void anAlteredFrameIsRefusedAsForged() {
        open(listener, seal(dialler, "zero"));
        byte[] altered = seal(dialler, "one");
        altered[altered.length - 1] ^= 1;

        SecretBoxException refused = refusal(listener, altered);
        assertEquals(SecretBoxException.Kind.FORGED, refused.kind());
        assertTrue(refused.getMessage().startsWith("encrypted frame 1 failed authentication"), refused.getMessage());
    }

    @Test
    void aFirstFrameUnderAnotherPasswordIsRefusedAsAnotherPassword() {
        EmbeddedChannel stranger = new EmbeddedChannel(new SecretBoxCodec(
                SessionKey.form(listenerKeys.publicKey(), diallerKeys.privateKey(), "other".getBytes(StandardCharsets.UTF_8)), true));

        SecretBoxException refused = refusal(listener, seal(stranger, "features"));
        assertEquals(SecretBoxException.Kind.WRONG_PASSWORD, refused.kind());
        assertTrue(refused.getMessage().contains("different mesh password"), refused.getMessage());
    }

    @Test
    void aFrameShorterThanItsAuthenticatorIsRefused() {
        SecretBoxException refused = refusal(listener, new byte[15]);
        assertEquals(SecretBoxException.Kind.FORGED, refused.kind());
        assertEquals("encrypted frame 0 has 15 bytes, fewer than the 16 of its authenticator", refused.getMessage());
    }

    @Test
    void aFrameHeldInPiecesSealsToTheSameBytesAsTheWholeFrame() {
        byte[] key = SessionKey.form(listenerKeys.publicKey(), diallerKeys.privateKey(), PASSWORD);
        SecretBoxCodec whole = new SecretBoxCodec(key, true);
        SecretBoxCodec pieces = new SecretBoxCodec(key, true);
        byte[] frame = "\u0006 a tag, then a payload longer than one 64-byte Salsa20 block............".getBytes(StandardCharsets.UTF_8);
        ByteBuf direct = Unpooled.directBuffer().writeBytes(frame, 1, 30);

        ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(frame, 0, 1), direct,
                Unpooled.wrappedBuffer(frame, 31, frame.length - 31));
        byte[] fromPieces = pieces.seal(composite);
        composite.release();

        assertArrayEquals(whole.seal(Unpooled.wrappedBuffer(frame)), fromPieces);
        assertEquals(new String(frame, StandardCharsets.UTF_8), open(listener, fromPieces));
    }

    @Test
    void anEmptyBodyRoundTrips() {
        dialler.writeOutbound(Unpooled.EMPTY_BUFFER);
        ByteBuf sealed = dialler.readOutbound();
        listener.writeInbound(sealed);
        ByteBuf opened = listener.readInbound();
        assertArrayEquals(new byte[0], ByteBufUtil.getBytes(opened));
        opened.release();
    }
}
