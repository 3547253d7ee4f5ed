package org.nostrp2p.model.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.nostrp2p.model.Hex;
import org.nostrp2p.model.nip19.Nip19;

/**
 * A user's BIP-340 secret key (32 bytes). Only a user's client holds it; a server never does.
 *
 * <p>Immutable; the bytes are copied in and out. {@link #toString()} never shows the key.
 */
public final class SecretKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    /** Derived once: signing an event needs it every time. */
    private final PublicKey publicKey;

    private SecretKey(byte[] bytes) {
        this.bytes = bytes.clone();
        this.publicKey = PublicKey.ofTrusted(Schnorr.publicKey(this.bytes));
    }

    /** @return a new random key from {@link java.security.SecureRandom}, valid for secp256k1 */
    public static SecretKey generate() {
        byte[] candidate = new byte[Schnorr.KEY_BYTES];
        do {
            RANDOM.nextBytes(candidate);
        } while (!Schnorr.isValidSecretKey(candidate));
        SecretKey key = new SecretKey(candidate);
        Arrays.fill(candidate, (byte) 0);
        return key;
    }

    /**
     * @param bytes 32 bytes
     * @return the key
     * @throws IllegalArgumentException when not 32 bytes or not in 1..n-1
     */
    public static SecretKey of(byte[] bytes) {
        if (bytes == null || bytes.length != Schnorr.KEY_BYTES) {
            throw new IllegalArgumentException("secret key: expected 32 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        if (!Schnorr.isValidSecretKey(bytes)) {
            throw new IllegalArgumentException("secret key: not a valid secp256k1 scalar (zero or beyond the order)");
        }
        return new SecretKey(bytes);
    }

    /**
     * @param text {@code nsec1...} (NIP-19) or 64 hex characters
     * @return the key
     * @throws IllegalArgumentException with a clear message when it is neither, or not a valid key
     */
    public static SecretKey parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("secret key: expected nsec1... or 64 hex characters, got null");
        }
        String trimmed = text.strip();
        if (trimmed.regionMatches(true, 0, Nip19.NSEC + "1", 0, 5)) {
            return of(Nip19.decodeNsec(trimmed));
        }
        if (Hex.isHex(trimmed, Schnorr.KEY_BYTES)) {
            return of(Hex.decode(trimmed, Schnorr.KEY_BYTES, "secret key"));
        }
        if (trimmed.regionMatches(true, 0, Nip19.NPUB + "1", 0, 5)) {
            throw new IllegalArgumentException("secret key: got an npub (a public key); expected nsec1... or hex");
        }
        throw new IllegalArgumentException("secret key: expected nsec1... or 64 hex characters, got "
                + trimmed.length() + " characters");
    }

    /** @return the x-only public key */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** @return the 32 bytes (a copy) */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return 64 lowercase hex characters */
    public String toHex() {
        return Hex.encode(bytes);
    }

    /** @return the NIP-19 {@code nsec1...} form */
    public String toNsec() {
        return Nip19.encodeNsec(bytes);
    }

    /**
     * @param message32 the 32-byte message, a NIP-01 event id
     * @return a BIP-340 signature made with fresh auxiliary randomness from {@link SecureRandom}
     */
    public byte[] sign(byte[] message32) {
        byte[] auxRand = new byte[Schnorr.KEY_BYTES];
        RANDOM.nextBytes(auxRand);
        return Schnorr.sign(message32, bytes, auxRand);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretKey k && java.security.MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "SecretKey[hidden]";
    }
}
