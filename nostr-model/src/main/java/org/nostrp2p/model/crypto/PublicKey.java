package org.nostrp2p.model.crypto;

import java.util.Arrays;
import org.nostrp2p.model.Hex;
import org.nostrp2p.model.nip19.Nip19;

/**
 * A user's BIP-340 x-only public key (32 bytes): the user's identity, also the source of the
 * user's server's overlay peer name (its last six bytes).
 *
 * <p>Immutable value; equal when the bytes are equal.
 */
public final class PublicKey {
    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** For bytes libsecp256k1 has just derived: no need to check them again. */
    static PublicKey ofTrusted(byte[] bytes) {
        return new PublicKey(bytes);
    }

    /**
     * @param bytes 32 bytes
     * @return the key
     * @throws IllegalArgumentException when not 32 bytes or not an x coordinate on the curve
     */
    public static PublicKey of(byte[] bytes) {
        if (bytes == null || bytes.length != Schnorr.KEY_BYTES) {
            throw new IllegalArgumentException("public key: expected 32 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        if (!Schnorr.isValidPublicKey(bytes)) {
            throw new IllegalArgumentException("public key: " + Hex.encode(bytes)
                    + " is not the x coordinate of a secp256k1 point");
        }
        return new PublicKey(bytes);
    }

    /**
     * @param text {@code npub1...} (NIP-19) or 64 hex characters
     * @return the key
     * @throws IllegalArgumentException with a clear message when it is neither
     */
    public static PublicKey parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("public key: expected npub1... or 64 hex characters, got null");
        }
        String trimmed = text.strip();
        if (trimmed.regionMatches(true, 0, Nip19.NPUB + "1", 0, 5)) {
            return of(Nip19.decodeNpub(trimmed));
        }
        if (Hex.isHex(trimmed, Schnorr.KEY_BYTES)) {
            return of(Hex.decode(trimmed, Schnorr.KEY_BYTES, "public key"));
        }
        if (trimmed.regionMatches(true, 0, Nip19.NSEC + "1", 0, 5)) {
            throw new IllegalArgumentException("public key: got an nsec (a secret key, keep it secret!);"
                    + " expected npub1... or hex");
        }
        throw new IllegalArgumentException("public key: expected npub1... or 64 hex characters, got "
                + trimmed.length() + " characters");
    }

    /** @return the 32 bytes (a copy) */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return 64 lowercase hex characters */
    public String toHex() {
        return Hex.encode(bytes);
    }

    /** @return the NIP-19 {@code npub1...} form */
    public String toNpub() {
        return Nip19.encodeNpub(bytes);
    }

    /**
     * @return whether {@code signature} is a valid BIP-340 signature of {@code message32} by this
     *     key; false for malformed input
     */
    public boolean verify(byte[] signature, byte[] message32) {
        return Schnorr.verify(signature, message32, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "PublicKey[" + toHex() + "]";
    }
}
