package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The encrypted-frame codec on arbitrary input: what one side seals the other opens, in
 * order; arbitrary bytes and mutated frames raise only {@link SecretBoxException} and never
 * deliver anything.
 */
class SecretBoxCodecProperties {
    private static final byte[] PASSWORD = "p".getBytes(StandardCharsets.UTF_8);
    private static final SessionKey.KeyPair A = SessionKey.generateKeyPair();
    private static final SessionKey.KeyPair B = SessionKey.generateKeyPair();

    // formed once: a Curve25519 multiplication per try would dominate the run time
    private static final byte[] DIALLER_KEY = SessionKey.form(B.publicKey(), A.privateKey(), PASSWORD);
    private static final byte[] LISTENER_KEY = SessionKey.form(A.publicKey(), B.privateKey(), PASSWORD);

    private static EmbeddedChannel dialler() {
        return new EmbeddedChannel(new SecretBoxCodec(DIALLER_KEY, true));
    }

    private static EmbeddedChannel listener() {
        return new EmbeddedChannel(new SecretBoxCodec(LISTENER_KEY, false));
    }

    private static byte[] seal(EmbeddedChannel channel, byte[] body) {
        channel.writeOutbound(Unpooled.wrappedBuffer(body));
        ByteBuf sealed = channel.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(sealed);
        sealed.release();
        return bytes;
    }

    private static void assertRefusedWithTheCodecsExceptionOnly(EmbeddedChannel channel, byte[] input) {
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(input));
        } catch (DecoderException e) {
            assertInstanceOf(SecretBoxException.class, e.getCause());
            assertNull(channel.readInbound());
            return;
        }
        throw new AssertionError("accepted " + input.length + " bytes that no one sealed");
    }

    @Provide
    Arbitrary<List<byte[]>> bodies() {
        return WireArbitraries.data(300).list().ofMaxSize(8);
    }

    @Property(tries = 100)
    void whatTheDiallerSealsTheListenerOpensInOrder(@ForAll("bodies") List<byte[]> bodies) {
        EmbeddedChannel dialler = dialler();
        EmbeddedChannel listener = listener();
        for (byte[] body : bodies) {
            listener.writeInbound(Unpooled.wrappedBuffer(seal(dialler, body)));
            ByteBuf opened = listener.readInbound();
            assertArrayEquals(body, ByteBufUtil.getBytes(opened));
            opened.release();
        }
    }

    @Provide
    Arbitrary<byte[]> noise() {
        return WireArbitraries.data(200);
    }

    @Property(tries = 200)
    void arbitraryBytesRaiseOnlyTheCodecsException(@ForAll("noise") byte[] noise) {
        assertRefusedWithTheCodecsExceptionOnly(listener(), noise);
    }

    @Property(tries = 200)
    void aMutatedFrameRaisesOnlyTheCodecsException(@ForAll("noise") byte[] body,
                                                   @ForAll int position, @ForAll byte mask,
                                                   @ForAll boolean truncate) {
        byte[] sealed = seal(dialler(), body);
        byte[] mutated;
        if (truncate) {
            mutated = java.util.Arrays.copyOf(sealed, Math.floorMod(position, sealed.length));
        } else {
            mutated = sealed.clone();
            mutated[Math.floorMod(position, sealed.length)] ^= (byte) (mask == 0 ? 1 : mask);
        }
        assertRefusedWithTheCodecsExceptionOnly(listener(), mutated);
    }

    @Property(tries = 50)
    void aFrameDeliveredTwiceIsRefusedTheSecondTime(@ForAll("noise") byte[] body) {
        EmbeddedChannel listener = listener();
        byte[] sealed = seal(dialler(), body);
        listener.writeInbound(Unpooled.wrappedBuffer(sealed));
        ((ByteBuf) listener.readInbound()).release();

        DecoderException e = org.junit.jupiter.api.Assertions.assertThrows(DecoderException.class,
                () -> listener.writeInbound(Unpooled.wrappedBuffer(sealed)));
        assertEquals(SecretBoxException.Kind.REPLAYED, ((SecretBoxException) e.getCause()).kind());
    }
}
