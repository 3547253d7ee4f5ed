package org.nostrp2p.overlay.wire;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Arrays;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20-Poly1305, golang.org/x/crypto/nacl/secretbox) from
 * Bouncy Castle's XSalsa20 and Poly1305: the first 32 bytes of the XSalsa20 key stream are
 * the one-time Poly1305 key, the message is XORed with the stream from byte 32 on, and the
 * box is the 16-byte tag followed by the ciphertext.
 *
 * <p>One instance keeps its engines for reuse: not thread-safe (a connection has one per
 * direction, used on its event loop).
 */
final class SecretBox {

    /** Bytes a box adds to its message (Poly1305's tag): secretbox's {@code Overhead}. */
    static final int OVERHEAD = 16;
    /** The key length. */
    static final int KEY_BYTES = 32;
    /** The nonce length. */
    static final int NONCE_BYTES = 24;

    private static final byte[] ZEROS = new byte[32];

    private final KeyParameter key;
    private final XSalsa20Engine cipher = new XSalsa20Engine();
    private final Poly1305 mac = new Poly1305();
    private final byte[] macKey = new byte[32];
    private final byte[] tag = new byte[OVERHEAD];

    /** @param key 32 bytes, copied */
    SecretBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a secretbox key has " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new KeyParameter(key.clone());
    }

    /**
     * Writes the box of {@code message[offset, offset + length)} into {@code box} from
     * {@code boxOffset} ({@code length + OVERHEAD} bytes).
     */
    void seal(byte[] nonce, byte[] message, int offset, int length, byte[] box, int boxOffset) {
        seal(nonce, new java.nio.ByteBuffer[] {java.nio.ByteBuffer.wrap(message, offset, length)}, box, boxOffset);
    }

    /**
     * Writes the box of the message made of {@code parts} (their remaining bytes, in order,
     * left unchanged) into {@code box} from {@code boxOffset}: a frame Netty holds in pieces
     * (the tag, the payload) is sealed without first being copied into one array.
     */
    void seal(byte[] nonce, java.nio.ByteBuffer[] parts, byte[] box, int boxOffset) {
        start(nonce);
        int out = boxOffset + OVERHEAD;
        for (java.nio.ByteBuffer part : parts) {
            int n = part.remaining();
            if (part.hasArray()) {
                cipher.processBytes(part.array(), part.arrayOffset() + part.position(), n, box, out);
            } else {
                byte[] copy = new byte[n];
                part.duplicate().get(copy);
                cipher.processBytes(copy, 0, n, box, out);
            }
            out += n;
        }
        mac.update(box, boxOffset + OVERHEAD, out - boxOffset - OVERHEAD);
        mac.doFinal(box, boxOffset);
    }

    /**
     * Checks the box {@code box[offset, offset + length)} and, only if it authenticates,
     * writes its message into {@code message} from {@code messageOffset}
     * ({@code length - OVERHEAD} bytes).
     *
     * @return whether the box authenticated under this key and {@code nonce}
     */
    boolean open(byte[] nonce, byte[] box, int offset, int length, byte[] message, int messageOffset) {
        if (!authentic(nonce, box, offset, length)) {
            return false;
        }
        cipher.processBytes(box, offset + OVERHEAD, length - OVERHEAD, message, messageOffset);
        return true;
    }

    /**
     * @return whether the box authenticates under this key and {@code nonce}; leaves the
     *     cipher ready to decrypt it
     */
    boolean authentic(byte[] nonce, byte[] box, int offset, int length) {
        if (length < OVERHEAD) {
            return false;
        }
        start(nonce);
        mac.update(box, offset + OVERHEAD, length - OVERHEAD);
        mac.doFinal(tag, 0);
        return Arrays.constantTimeAreEqual(OVERHEAD, tag, 0, box, offset);
    }

    // Keys the cipher with the nonce and the MAC with the first 32 bytes of its key stream.
    private void start(byte[] nonce) {
        cipher.init(true, new ParametersWithIV(key, nonce));
        cipher.processBytes(ZEROS, 0, 32, macKey, 0);
        mac.init(new KeyParameter(macKey));
    }
}
