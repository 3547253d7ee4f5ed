package org.nostrp2p.model.crypto;

/**
 * A user's BIP-340 x-only public key (32 bytes): the user's identity, also the source of the
 * user's server's overlay peer name (its last six bytes).
 *
 * <p>Immutable value; equal when the bytes are equal.
 */
public final class PublicKey {
    // CONTRACT: implemented by the nostr-model work (issue 2).
    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /**
     * @param bytes 32 bytes
     * @return the key
     * @throws IllegalArgumentException when not 32 bytes or not an x coordinate on the curve
     */
    public static PublicKey of(byte[] bytes) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * @param text {@code npub1...} (NIP-19) or 64 hex characters
     * @return the key
     * @throws IllegalArgumentException with a clear message when it is neither
     */
    public static PublicKey parse(String text) {
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

    /** @return the NIP-19 {@code npub1...} form */
    public String toNpub() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
