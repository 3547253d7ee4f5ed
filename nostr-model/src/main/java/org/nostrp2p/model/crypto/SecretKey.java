package org.nostrp2p.model.crypto;

/**
 * A user's BIP-340 secret key (32 bytes). Only a user's client holds it; a server never does.
 *
 * <p>Immutable; the bytes are copied in and out. {@link #toString()} never shows the key.
 */
public final class SecretKey {
    // CONTRACT: implemented by the nostr-model work (issue 2).
    private final byte[] bytes;

    private SecretKey(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** @return a new random key from {@link java.security.SecureRandom}, valid for secp256k1 */
    public static SecretKey generate() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * @param text {@code nsec1...} (NIP-19) or 64 hex characters
     * @return the key
     * @throws IllegalArgumentException with a clear message when it is neither, or not a valid key
     */
    public static SecretKey parse(String text) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return the x-only public key */
    public PublicKey publicKey() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return the 32 bytes (a copy) */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return 64 lowercase hex characters */
    public String toHex() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return the NIP-19 {@code nsec1...} form */
    public String toNsec() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public String toString() {
        return "SecretKey[hidden]";
    }
}
