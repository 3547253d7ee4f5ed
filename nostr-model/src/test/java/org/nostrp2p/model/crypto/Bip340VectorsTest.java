package org.nostrp2p.model.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every official BIP-340 test vector (bitcoin/bips {@code bip-0340/test-vectors.csv} as of
 * commit 7fe0b03, 2026, in src/test/resources/bip340): the public key of each secret key, the
 * exact signature for the given auxiliary randomness, and the verification result.
 *
 * <p>Vectors 15 to 18 (added 2022) sign messages of 0, 1, 17 and 100 bytes. Nostr signs only
 * 32-byte event ids and libsecp256k1's JNI binding takes only 32-byte messages, so for those
 * our API's promise is to refuse them clearly; their keys are still checked.
 */
class Bip340VectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    record Vector(int index, byte[] secretKey, byte[] publicKey, byte[] auxRand, byte[] message,
                  byte[] signature, boolean valid, String comment) {
        @Override
        public String toString() {
            return "vector " + index + (comment.isEmpty() ? "" : " (" + comment + ")");
        }
    }

    static List<Vector> vectors() throws IOException {
        List<Vector> vectors = new ArrayList<>();
        try (var reader = new BufferedReader(new InputStreamReader(
                Bip340VectorsTest.class.getResourceAsStream("/bip340/test-vectors.csv"), StandardCharsets.UTF_8))) {
            reader.readLine();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                vectors.add(new Vector(Integer.parseInt(f[0]), hexOrNull(f[1]), hexOrNull(f[2]), hexOrNull(f[3]),
                        HEX.parseHex(f[4].toLowerCase()), hexOrNull(f[5]), f[6].equals("TRUE"), f[7]));
            }
        }
        return vectors;
    }

    static Stream<Vector> thirtyTwoByteMessageVectors() throws IOException {
        return vectors().stream().filter(v -> v.message().length == 32);
    }

    static Stream<Vector> signingVectors() throws IOException {
        return thirtyTwoByteMessageVectors().filter(v -> v.secretKey() != null);
    }

    static Stream<Vector> otherLengthVectors() throws IOException {
        return vectors().stream().filter(v -> v.message().length != 32);
    }

    private static byte[] hexOrNull(String text) {
        return text.isEmpty() ? null : HEX.parseHex(text.toLowerCase());
    }

    @Test
    void theFileHoldsAllNineteenVectors() throws IOException {
        assertEquals(19, vectors().size());
        assertEquals(15, thirtyTwoByteMessageVectors().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("thirtyTwoByteMessageVectors")
    void verificationGivesTheExpectedResult(Vector v) {
        assertEquals(v.valid(), Schnorr.verify(v.signature(), v.message(), v.publicKey()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingVectors")
    void signingWithTheGivenAuxRandGivesTheExactSignature(Vector v) {
        assertArrayEquals(v.signature(), Schnorr.sign(v.message(), v.secretKey(), v.auxRand()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingVectors")
    void theSecretKeyGivesTheVectorsPublicKey(Vector v) {
        assertArrayEquals(v.publicKey(), Schnorr.publicKey(v.secretKey()));
        assertEquals(HEX.formatHex(v.publicKey()), SecretKey.of(v.secretKey()).publicKey().toHex());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherLengthVectors")
    void aMessageThatIsNot32BytesIsRefusedClearly(Vector v) {
        assertArrayEquals(v.publicKey(), Schnorr.publicKey(v.secretKey()));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Schnorr.sign(v.message(), v.secretKey(), v.auxRand()));
        assertEquals("message: expected 32 bytes, got " + v.message().length, e.getMessage());
        assertFalse(Schnorr.verify(v.signature(), v.message(), v.publicKey()));
    }

    @Test
    void aPublicKeyOffTheCurveIsRefusedByPublicKeyOf() throws IOException {
        Vector offCurve = vectors().get(5);
        assertFalse(Schnorr.isValidPublicKey(offCurve.publicKey()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PublicKey.of(offCurve.publicKey()));
        Vector beyondField = vectors().get(14);
        assertFalse(Schnorr.isValidPublicKey(beyondField.publicKey()));
    }
}
