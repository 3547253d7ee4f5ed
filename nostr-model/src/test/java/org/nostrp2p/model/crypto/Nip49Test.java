package org.nostrp2p.model.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nostrp2p.model.nip19.Nip19;

class Nip49Test {

    /** The test data of NIP-49 itself (nostr-protocol/nips, 49.md). */
    static final String NIP_VECTOR = "ncryptsec1qgg9947rlpvqu76pj5ecreduf9jxhselq2nae2kghhvd5g7dgjtcxfqtd67p9m0w57lspw8gsq6yphnm8623nsl8xn9j4jdzz84zm3frztj3z7s35vpzmqf6ksu8r89qk5z2zxfmu5gv8th8wclt0h4p";

    @Test
    void theNipTestVectorDecryptsWithItsPassphrase() {
        SecretKey key = Nip49.decrypt(NIP_VECTOR, "nostr");
        assertEquals("3501454135014541350145413501453fefb02227e449e57cf4d3a3ce05378683", key.toHex());
    }

    @Test
    void aWrongPassphraseIsReportedAsSuch() {
        assertThrows(Nip49.WrongPassphraseException.class, () -> Nip49.decrypt(NIP_VECTOR, "nostR"));
    }

    @Test
    void whatIsEncryptedDecryptsToTheSameKeyWith91Bytes() {
        SecretKey key = SecretKey.generate();
        String encrypted = Nip49.encrypt(key, "correct horse", 4, Nip49.KEY_SECURE);
        assertTrue(Nip49.isEncrypted(encrypted));
        assertEquals(91, Nip19.decodeNcryptsec(encrypted).length);
        assertEquals(key, Nip49.decrypt(encrypted, "correct horse"));
    }

    @Test
    void thePassphraseIsNormalisedToNfkc() {
        SecretKey key = SecretKey.generate();
        // "Å" as one code point (U+212B ANGSTROM SIGN) and as A + combining ring: NFKC makes both U+00C5.
        String encrypted = Nip49.encrypt(key, "\u212B", 4, Nip49.KEY_UNTRACKED);
        assertEquals(key, Nip49.decrypt(encrypted, "A\u030A"));
    }

    @Test
    void aTamperedKeySecurityByteFailsAuthentication() {
        byte[] data = Nip19.decodeNcryptsec(Nip49.encrypt(SecretKey.generate(), "pw", 4, Nip49.KEY_SECURE));
        data[42] = Nip49.KEY_INSECURE;
        assertThrows(Nip49.WrongPassphraseException.class, () -> Nip49.decrypt(Nip19.encodeNcryptsec(data), "pw"));
    }

    @Test
    void anExcessiveScryptCostIsRefusedBeforeAnyWork() {
        byte[] data = Nip19.decodeNcryptsec(NIP_VECTOR);
        data[1] = 40;
        var e = assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(Nip19.encodeNcryptsec(data), "nostr"));
        assertTrue(e.getMessage().contains("log_n"), e.getMessage());
    }
}
