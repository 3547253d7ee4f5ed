package org.nostrp2p.model.crypto;

import com.google.crypto.tink.subtle.XChaCha20Poly1305;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.SCrypt;
import org.nostrp2p.model.nip19.Nip19;

/**
 * NIP-49 password-encrypted secret keys ({@code ncryptsec1...}): scrypt (Bouncy Castle) derives
 * a 32-byte key from the NFKC-normalised passphrase and a random salt, XChaCha20-Poly1305
 * (Tink) encrypts the 32 secret-key bytes with the key-security byte as associated data.
 *
 * <p>Layout before bech32: version {@code 0x02}, log2(N), salt (16), nonce (24), key-security
 * byte, ciphertext with tag (48): 91 bytes. Stateless and thread-safe. Deriving the key takes
 * about {@code 2^logN * 1 KiB} of memory and a noticeable time by design.
 */
public final class Nip49 {

    /** The only version NIP-49 defines. */
    public static final int VERSION = 0x02;
    /** The scrypt cost written by {@link #encrypt(SecretKey, String)}: 2^16 rounds, 64 MiB, about 0.1-0.5 s. */
    public static final int DEFAULT_LOG_N = 16;
    /** The largest cost accepted when decrypting (2^22 needs 4 GiB): a file cannot make us allocate more. */
    public static final int MAX_LOG_N = 22;
    /** The key-security byte: the key is known to have been handled insecurely. */
    public static final byte KEY_INSECURE = 0x00;
    /** The key-security byte: the key is not known to have been handled insecurely. */
    public static final byte KEY_SECURE = 0x01;
    /** The key-security byte: the client does not track this. */
    public static final byte KEY_UNTRACKED = 0x02;

    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 24;
    private static final int CIPHERTEXT_BYTES = 32 + 16;
    private static final int ENCRYPTED_BYTES = 1 + 1 + SALT_BYTES + NONCE_BYTES + 1 + CIPHERTEXT_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Nip49() {
    }

    /**
     * Encrypts with {@link #DEFAULT_LOG_N} and key-security byte {@link #KEY_UNTRACKED}.
     *
     * @return {@code ncryptsec1...}
     */
    public static String encrypt(SecretKey key, String passphrase) {
        return encrypt(key, passphrase, DEFAULT_LOG_N, KEY_UNTRACKED);
    }

    /**
     * @param key        the secret key
     * @param passphrase the user's passphrase (normalised to NFKC first)
     * @param logN       scrypt's cost as a power of two, 1..{@link #MAX_LOG_N}
     * @param keySecurity {@link #KEY_INSECURE}, {@link #KEY_SECURE} or {@link #KEY_UNTRACKED}
     * @return {@code ncryptsec1...}
     */
    public static String encrypt(SecretKey key, String passphrase, int logN, byte keySecurity) {
        if (logN < 1 || logN > MAX_LOG_N) {
            throw new IllegalArgumentException("log_n must be in 1.." + MAX_LOG_N + ", got " + logN);
        }
        if (keySecurity < 0 || keySecurity > 2) {
            throw new IllegalArgumentException("the key-security byte is 0, 1 or 2, got " + keySecurity);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] symmetricKey = derive(passphrase, salt, logN);
        byte[] secret = key.bytes();
        try {
            // Tink answers nonce || ciphertext || tag, the nonce fresh from its own random source.
            byte[] sealed = new XChaCha20Poly1305(symmetricKey).encrypt(secret, new byte[] {keySecurity});
            byte[] out = new byte[ENCRYPTED_BYTES];
            out[0] = VERSION;
            out[1] = (byte) logN;
            System.arraycopy(salt, 0, out, 2, SALT_BYTES);
            System.arraycopy(sealed, 0, out, 2 + SALT_BYTES, NONCE_BYTES);
            out[2 + SALT_BYTES + NONCE_BYTES] = keySecurity;
            System.arraycopy(sealed, NONCE_BYTES, out, 3 + SALT_BYTES + NONCE_BYTES, CIPHERTEXT_BYTES);
            return Nip19.encodeNcryptsec(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("XChaCha20-Poly1305 is unavailable: " + e, e);
        } finally {
            Arrays.fill(symmetricKey, (byte) 0);
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * @param ncryptsec  {@code ncryptsec1...}
     * @param passphrase the passphrase it was encrypted with
     * @return the secret key
     * @throws WrongPassphraseException when the passphrase does not open it
     * @throws IllegalArgumentException when the text is not a NIP-49 encrypted key
     */
    public static SecretKey decrypt(String ncryptsec, String passphrase) {
        byte[] data = Nip19.decodeNcryptsec(ncryptsec);
        if (data.length != ENCRYPTED_BYTES) {
            throw new IllegalArgumentException("ncryptsec: expected " + ENCRYPTED_BYTES + " bytes, got " + data.length);
        }
        if (data[0] != VERSION) {
            throw new IllegalArgumentException("ncryptsec: version " + (data[0] & 0xff) + " is not supported (only 2)");
        }
        int logN = data[1] & 0xff;
        if (logN < 1 || logN > MAX_LOG_N) {
            throw new IllegalArgumentException("ncryptsec: log_n " + logN + " is outside 1.." + MAX_LOG_N);
        }
        byte[] salt = Arrays.copyOfRange(data, 2, 2 + SALT_BYTES);
        byte keySecurity = data[2 + SALT_BYTES + NONCE_BYTES];
        byte[] sealed = new byte[NONCE_BYTES + CIPHERTEXT_BYTES];
        System.arraycopy(data, 2 + SALT_BYTES, sealed, 0, NONCE_BYTES);
        System.arraycopy(data, 3 + SALT_BYTES + NONCE_BYTES, sealed, NONCE_BYTES, CIPHERTEXT_BYTES);
        byte[] symmetricKey = derive(passphrase, salt, logN);
        byte[] secret = null;
        try {
            secret = new XChaCha20Poly1305(symmetricKey).decrypt(sealed, new byte[] {keySecurity});
            return SecretKey.of(secret);
        } catch (GeneralSecurityException e) {
            throw new WrongPassphraseException();
        } finally {
            Arrays.fill(symmetricKey, (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /** @return whether the text looks like an {@code ncryptsec1...} (not whether it decrypts) */
    public static boolean isEncrypted(String text) {
        return text != null && text.strip().regionMatches(true, 0, Nip19.NCRYPTSEC + "1", 0, Nip19.NCRYPTSEC.length() + 1);
    }

    private static byte[] derive(String passphrase, byte[] salt, int logN) {
        byte[] password = Normalizer.normalize(passphrase, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8);
        try {
            return SCrypt.generate(password, salt, 1 << logN, 8, 1, 32);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /** The passphrase does not open the encrypted key (or the key was altered). */
    public static final class WrongPassphraseException extends IllegalArgumentException {
        WrongPassphraseException() {
            super("wrong passphrase (or the encrypted key was altered)");
        }
    }
}
