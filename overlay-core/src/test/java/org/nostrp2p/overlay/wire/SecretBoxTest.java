package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The NaCl pieces against NaCl's own answers: the known-answer vectors of
 * golang.org/x/crypto's {@code nacl/secretbox} and {@code nacl/box} tests, which were
 * generated with the C implementation of NaCl.
 */
class SecretBoxTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void aSecretboxSealsAsNaClDoes() {
        byte[] box = new byte[64 + SecretBox.OVERHEAD];
        new SecretBox(filled(32, 1)).seal(filled(24, 2), filled(64, 3), 0, 64, box, 0);

        assertEquals("8442bc313f4626f1359e3b50122b6ce6fe66ddfe7d39d14e637eb4fd5b45beadab55198df6ab5368439792a2"
                + "3c87db70acb6156dc5ef957ac04f6276cf6093b84be77ff0849cc33e34b7254d5a8f65ad", HEX.formatHex(box));
    }

    @Test
    void aBoxAfterPrecomputationSealsAsNaClDoes() {
        byte[] publicKey1 = SessionKey.keyPairOf(filled(32, 1)).publicKey();
        byte[] shared = SessionKey.beforenm(publicKey1, filled(32, 2));
        byte[] box = new byte[64 + SecretBox.OVERHEAD];
        new SecretBox(shared).seal(filled(24, 4), filled(64, 3), 0, 64, box, 0);

        assertEquals("78ea30b19d2341ebbdba54180f821eec265cf86312549bea8a37652a8bb94f07b78a73ed1708085e6ddd0e94"
                + "3bbdeb8755079a37eb31d86163ce241164a47629c0539f330b4914cd135b3855bc2a2dfc", HEX.formatHex(box));
    }

    @Test
    void bothEndsOfAConnectionFormTheSameSessionKeyAsSha256OfThePrecomputedKeyAndThePassword() throws Exception {
        SessionKey.KeyPair dialler = SessionKey.generateKeyPair();
        SessionKey.KeyPair listener = SessionKey.generateKeyPair();
        byte[] password = "correct horse".getBytes(StandardCharsets.UTF_8);

        byte[] atDialler = SessionKey.form(listener.publicKey(), dialler.privateKey(), password);
        byte[] atListener = SessionKey.form(dialler.publicKey(), listener.privateKey(), password);

        assertArrayEquals(atDialler, atListener);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(SessionKey.beforenm(listener.publicKey(), dialler.privateKey()));
        assertArrayEquals(sha256.digest(password), atDialler);
    }

    @Test
    void anotherPasswordFormsAnotherSessionKey() {
        SessionKey.KeyPair a = SessionKey.generateKeyPair();
        SessionKey.KeyPair b = SessionKey.generateKeyPair();

        assertFalse(Arrays.equals(SessionKey.form(b.publicKey(), a.privateKey(), new byte[] {'x'}),
                SessionKey.form(a.publicKey(), b.privateKey(), new byte[] {'y'})));
    }

    @Test
    void aLowOrderPublicKeyIsRefusedRatherThanGivingASharedSecretEveryoneKnows() {
        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> SessionKey.form(new byte[32], SessionKey.generateKeyPair().privateKey(), new byte[] {'p'}));
        assertTrue(refused.getMessage().contains("not a usable Curve25519 key"), refused.getMessage());
    }

    @Test
    void aBoxWithOneBitFlippedDoesNotOpen() {
        SecretBox secretBox = new SecretBox(filled(32, 7));
        byte[] nonce = filled(24, 9);
        byte[] box = new byte[5 + SecretBox.OVERHEAD];
        secretBox.seal(nonce, "hello".getBytes(StandardCharsets.UTF_8), 0, 5, box, 0);
        for (int i = 0; i < box.length * 8; i++) {
            byte[] altered = box.clone();
            altered[i / 8] ^= (byte) (1 << (i % 8));
            assertFalse(secretBox.open(nonce, altered, 0, altered.length, new byte[5], 0), "bit " + i);
        }
        byte[] message = new byte[5];
        assertTrue(secretBox.open(nonce, box, 0, box.length, message, 0));
        assertEquals("hello", new String(message, StandardCharsets.UTF_8));
    }
}
