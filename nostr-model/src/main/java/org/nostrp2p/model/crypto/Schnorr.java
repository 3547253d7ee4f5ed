package org.nostrp2p.model.crypto;

/**
 * BIP-340 Schnorr signatures over secp256k1, through libsecp256k1 (ACINQ's JNI binding).
 * Thread-safe; no I/O.
 */
public final class Schnorr {
    // CONTRACT: implemented by the nostr-model work (issue 2).
    private Schnorr() {
    }

    /**
     * @param message32 the 32-byte message (a NIP-01 event id)
     * @param secretKey the 32-byte secret key
     * @param auxRand32 32 bytes of fresh randomness, or {@code null} for none
     * @return the 64-byte signature
     */
    public static byte[] sign(byte[] message32, byte[] secretKey, byte[] auxRand32) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * @return whether {@code signature} is a valid BIP-340 signature of {@code message32} by
     *     {@code publicKey}; false (never an exception) for malformed lengths or keys
     */
    public static boolean verify(byte[] signature, byte[] message32, byte[] publicKey) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return the 32-byte x-only public key of a 32-byte secret key */
    public static byte[] publicKey(byte[] secretKey) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
