package org.nostrp2p.overlay.wire;

import com.google.crypto.tink.subtle.X25519;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key agreement of an encrypted mesh connection (mesh {@code generateKeyPair} and
 * {@code formSessionKey}, protocol_crypto.go): each side sends an ephemeral Curve25519 public
 * key after the encryption flag, and both derive
 * <pre>
 *   session key = SHA-256( crypto_box_beforenm(their public, my private) ‖ password )
 *   crypto_box_beforenm(p, s) = HSalsa20( X25519(s, p), 16 zero bytes )
 * </pre>
 * so that only peers knowing the password share the key, and each connection has its own.
 * X25519 is Tink's, HSalsa20 Bouncy Castle's, SHA-256 the JDK's. Thread-safe (stateless).
 */
public final class SessionKey {

    /** Bytes of a Curve25519 key and of the session key. */
    public static final int KEY_BYTES = 32;

    private static final byte[] ZERO_NONCE = new byte[16];

    /**
     * An ephemeral Curve25519 key pair (mesh: {@code box.GenerateKey}).
     *
     * @param publicKey  32 bytes, sent in the handshake
     * @param privateKey 32 bytes, never leaves this peer
     */
    public record KeyPair(byte[] publicKey, byte[] privateKey) {
    }

    private SessionKey() {
    }

    /** @return a fresh key pair from a secure random source */
    public static KeyPair generateKeyPair() {
        byte[] privateKey = X25519.generatePrivateKey();
        try {
            return new KeyPair(X25519.publicFromPrivate(privateKey), privateKey);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("Tink generated an invalid X25519 private key", e);
        }
    }

    /**
     * @return the public key of {@code privateKey} (for test vectors with a fixed private key)
     * @throws IllegalArgumentException when it is not 32 bytes
     */
    public static KeyPair keyPairOf(byte[] privateKey) {
        try {
            return new KeyPair(X25519.publicFromPrivate(privateKey), privateKey.clone());
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an X25519 private key: " + e.getMessage(), e);
        }
    }

    /**
     * Mesh's {@code formSessionKey}.
     *
     * @param remotePublicKey the 32 bytes the remote peer sent after its encryption flag
     * @param localPrivateKey this side's ephemeral private key
     * @param password        the mesh password
     * @return the 32-byte session key both directions of the connection use
     * @throws ProtocolException when the remote public key is not a usable Curve25519 point
     *     (one of low order, which would make the shared secret known to anyone)
     */
    public static byte[] form(byte[] remotePublicKey, byte[] localPrivateKey, byte[] password) {
        byte[] precomputed = beforenm(remotePublicKey, localPrivateKey);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(precomputed);
            sha256.update(password);
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * NaCl {@code crypto_box_beforenm} (Go {@code box.Precompute}).
     *
     * @throws ProtocolException when {@code publicKey} is not a usable Curve25519 key
     */
    static byte[] beforenm(byte[] publicKey, byte[] privateKey) {
        byte[] shared;
        try {
            shared = X25519.computeSharedSecret(privateKey, publicKey);
        } catch (InvalidKeyException e) {
            throw new ProtocolException("the remote peer's public key is not a usable Curve25519 key: " + e.getMessage());
        }
        return HSalsa20.hash(shared, ZERO_NONCE);
    }
}
