package org.nostrp2p.model.crypto;

import fr.acinq.secp256k1.Secp256k1;
import fr.acinq.secp256k1.Secp256k1Exception;
import java.util.Arrays;

/**
 * BIP-340 Schnorr signatures over secp256k1, through libsecp256k1 (ACINQ's JNI binding).
 * Messages are 32 bytes (Nostr signs event ids). Thread-safe; no I/O.
 */
public final class Schnorr {
    /** Length of a secret key, a message, an x-only public key. */
    public static final int KEY_BYTES = 32;
    /** Length of a signature. */
    public static final int SIGNATURE_BYTES = 64;

    private Schnorr() {
    }

    /** The native library, loaded on first use. */
    private static final class Native {
        static final Secp256k1 SECP256K1 = Secp256k1.get();
    }

    /**
     * @param message32 the 32-byte message (a NIP-01 event id)
     * @param secretKey the 32-byte secret key
     * @param auxRand32 32 bytes of fresh randomness, or {@code null} for none
     * @return the 64-byte signature
     * @throws IllegalArgumentException when a length is wrong or the secret key is invalid
     */
    public static byte[] sign(byte[] message32, byte[] secretKey, byte[] auxRand32) {
        requireLength(message32, KEY_BYTES, "message");
        requireLength(secretKey, KEY_BYTES, "secret key");
        if (auxRand32 != null) {
            requireLength(auxRand32, KEY_BYTES, "auxiliary randomness");
        }
        try {
            return Native.SECP256K1.signSchnorr(message32, secretKey, auxRand32);
        } catch (Secp256k1Exception e) {
            throw new IllegalArgumentException("cannot sign: " + e.getMessage(), e);
        }
    }

    /**
     * @return whether {@code signature} is a valid BIP-340 signature of {@code message32} by
     *     {@code publicKey}; false (never an exception) for malformed lengths or keys
     */
    public static boolean verify(byte[] signature, byte[] message32, byte[] publicKey) {
        if (signature == null || signature.length != SIGNATURE_BYTES
                || message32 == null || message32.length != KEY_BYTES
                || publicKey == null || publicKey.length != KEY_BYTES) {
            return false;
        }
        try {
            return Native.SECP256K1.verifySchnorr(signature, message32, publicKey);
        } catch (Secp256k1Exception e) {
            // libsecp256k1 rejects a public key that is not an x coordinate on the curve.
            return false;
        }
    }

    /**
     * @return the 32-byte x-only public key of a 32-byte secret key
     * @throws IllegalArgumentException when the secret key is not 32 bytes or not valid
     */
    public static byte[] publicKey(byte[] secretKey) {
        requireLength(secretKey, KEY_BYTES, "secret key");
        if (!isValidSecretKey(secretKey)) {
            throw new IllegalArgumentException("secret key: not a valid secp256k1 scalar (zero or beyond the order)");
        }
        // Compressed and uncompressed encodings both hold x at bytes 1..33.
        byte[] point = Native.SECP256K1.pubkeyCreate(secretKey);
        return Arrays.copyOfRange(point, 1, 1 + KEY_BYTES);
    }

    /** @return whether {@code secretKey} is 32 bytes in 1..n-1 */
    public static boolean isValidSecretKey(byte[] secretKey) {
        if (secretKey == null || secretKey.length != KEY_BYTES) {
            return false;
        }
        try {
            return Native.SECP256K1.secKeyVerify(secretKey);
        } catch (Secp256k1Exception e) {
            return false;
        }
    }

    /** @return whether {@code publicKey} is 32 bytes and the x coordinate of a curve point */
    public static boolean isValidPublicKey(byte[] publicKey) {
        if (publicKey == null || publicKey.length != KEY_BYTES) {
            return false;
        }
        byte[] compressed = new byte[1 + KEY_BYTES];
        compressed[0] = 0x02;
        System.arraycopy(publicKey, 0, compressed, 1, KEY_BYTES);
        try {
            Native.SECP256K1.pubkeyParse(compressed);
            return true;
        } catch (Secp256k1Exception e) {
            return false;
        }
    }

    private static void requireLength(byte[] bytes, int length, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException(what + ": expected " + length + " bytes, got null");
        }
        if (bytes.length != length) {
            throw new IllegalArgumentException(what + ": expected " + length + " bytes, got " + bytes.length);
        }
    }
}
