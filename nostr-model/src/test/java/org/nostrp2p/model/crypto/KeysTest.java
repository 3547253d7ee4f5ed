package org.nostrp2p.model.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeysTest {
    private static final String NSEC = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
    private static final String NSEC_HEX = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";

    @Test
    void aGeneratedKeySignsWhatItsPublicKeyVerifies() {
        SecretKey key = SecretKey.generate();
        byte[] message = new byte[32];
        message[0] = 1;
        byte[] sig = key.sign(message);
        assertTrue(key.publicKey().verify(sig, message));
        message[0] = 2;
        assertFalse(key.publicKey().verify(sig, message));
    }

    @Test
    void twoGeneratedKeysDiffer() {
        assertNotEquals(SecretKey.generate().toHex(), SecretKey.generate().toHex());
    }

    @Test
    void aSecretKeyParsesFromNsecOrHexAlike() {
        SecretKey fromNsec = SecretKey.parse(NSEC);
        SecretKey fromHex = SecretKey.parse(NSEC_HEX);
        assertEquals(NSEC_HEX, fromNsec.toHex());
        assertEquals(NSEC, fromHex.toNsec());
        assertEquals(fromNsec, fromHex);
        assertEquals(fromNsec.publicKey(), PublicKey.parse(fromHex.publicKey().toNpub()));
    }

    @Test
    void aSecretKeyNeverShowsItselfInToString() {
        SecretKey key = SecretKey.parse(NSEC);
        assertFalse(key.toString().contains(NSEC_HEX));
        assertFalse(key.toString().contains("nsec"));
    }

    @Test
    void zeroAndTheCurveOrderAreNotSecretKeys() {
        assertThrows(IllegalArgumentException.class, () -> SecretKey.of(new byte[32]));
        byte[] order = HexFormat.of().parseHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        var e = assertThrows(IllegalArgumentException.class, () -> SecretKey.of(order));
        assertTrue(e.getMessage().contains("not a valid secp256k1"), e.getMessage());
    }

    @Test
    void anNpubGivenAsSecretKeyIsNamedInTheError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SecretKey.parse("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg"));
        assertTrue(e.getMessage().contains("npub"), e.getMessage());
    }

    @Test
    void anNsecGivenAsPublicKeyIsNamedInTheError() {
        var e = assertThrows(IllegalArgumentException.class, () -> PublicKey.parse(NSEC));
        assertTrue(e.getMessage().contains("nsec"), e.getMessage());
    }

    @Test
    void garbageIsRefusedWithAClearMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> PublicKey.parse("hello"));
        assertTrue(e.getMessage().contains("expected npub1... or 64 hex characters"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PublicKey.parse(null));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.of(new byte[31]));
    }

    @Test
    void publicKeysAreEqualByValueAndCopyTheirBytes() {
        PublicKey key = PublicKey.parse("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg");
        byte[] bytes = key.bytes();
        bytes[0] ^= 1;
        assertEquals("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e", key.toHex());
        assertEquals(key, PublicKey.parse(key.toHex()));
        assertEquals(key.hashCode(), PublicKey.parse(key.toHex()).hashCode());
    }

    @Test
    void schnorrNeverThrowsOnMalformedVerifyInput() {
        assertFalse(Schnorr.verify(null, new byte[32], new byte[32]));
        assertFalse(Schnorr.verify(new byte[64], new byte[31], new byte[32]));
        assertFalse(Schnorr.verify(new byte[64], new byte[32], new byte[32]));
        assertFalse(Schnorr.verify(new byte[63], new byte[32], new byte[32]));
    }

    @Test
    void schnorrSignRefusesWrongLengths() {
        byte[] key = SecretKey.generate().bytes();
        assertThrows(IllegalArgumentException.class, () -> Schnorr.sign(new byte[31], key, null));
        assertThrows(IllegalArgumentException.class, () -> Schnorr.sign(new byte[32], new byte[33], null));
        assertThrows(IllegalArgumentException.class, () -> Schnorr.sign(new byte[32], key, new byte[5]));
        assertArrayEquals(Schnorr.sign(new byte[32], key, null), Schnorr.sign(new byte[32], key, null));
    }
}
