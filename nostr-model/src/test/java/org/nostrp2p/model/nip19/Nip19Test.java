package org.nostrp2p.model.nip19;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of the NIP-19 text (nostr-protocol/nips 19.md), and its failure modes. */
class Nip19Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void theNipsNpubExampleDecodesAndEncodes() {
        String npub = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
        String hex = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";
        assertEquals(hex, HEX.formatHex(Nip19.decodeNpub(npub)));
        assertEquals(npub, Nip19.encodeNpub(HEX.parseHex(hex)));
    }

    @Test
    void theNipsSecondNpubExampleDecodesAndEncodes() {
        String npub = "npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6";
        String hex = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
        assertEquals(hex, HEX.formatHex(Nip19.decodeNpub(npub)));
        assertEquals(npub, Nip19.encodeNpub(HEX.parseHex(hex)));
    }

    @Test
    void theNipsNsecExampleDecodesAndEncodes() {
        String nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
        String hex = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";
        assertEquals(hex, HEX.formatHex(Nip19.decodeNsec(nsec)));
        assertEquals(nsec, Nip19.encodeNsec(HEX.parseHex(hex)));
    }

    @Test
    void theNipsNprofileExampleDecodesToItsKeyAndRelays() {
        String nprofile = "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4"
                + "mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p";
        ProfilePointer profile = Nip19.decodeNprofile(nprofile);
        assertEquals("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d",
                HEX.formatHex(profile.pubkey()));
        assertEquals(List.of("wss://r.x.com", "wss://djbas.sadkb.com"), profile.relays());
        assertEquals(nprofile, Nip19.encodeNprofile(profile));
    }

    @Test
    void aNoteRoundTrips() {
        byte[] id = HEX.parseHex("101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f");
        String note = Nip19.encodeNote(id);
        assertTrue(note.startsWith("note1"));
        assertArrayEquals(id, Nip19.decodeNote(note));
    }

    @Test
    void anNeventRoundTripsWithAndWithoutItsOptionalParts() {
        byte[] id = HEX.parseHex("101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f");
        byte[] author = HEX.parseHex("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e");
        var full = new EventPointer(id, List.of("wss://relay.example"), author, 1L);
        assertEquals(full, Nip19.decodeNevent(Nip19.encodeNevent(full)));
        var bare = new EventPointer(id, List.of(), null, null);
        EventPointer decoded = Nip19.decodeNevent(Nip19.encodeNevent(bare));
        assertNull(decoded.author());
        assertNull(decoded.kind());
        assertEquals(bare, decoded);
    }

    @Test
    void upperCaseIsAcceptedButMixedCaseIsNot() {
        String npub = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
        assertArrayEquals(Nip19.decodeNpub(npub), Nip19.decodeNpub(npub.toUpperCase()));
        var e = assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub("Npub" + npub.substring(4)));
        assertTrue(e.getMessage().contains("mixed"), e.getMessage());
    }

    @Test
    void aChangedCharacterFailsTheChecksum() {
        String npub = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
        String broken = npub.substring(0, 10) + (npub.charAt(10) == 'q' ? 'p' : 'q') + npub.substring(11);
        var e = assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub(broken));
        assertTrue(e.getMessage().contains("bad checksum"), e.getMessage());
    }

    @Test
    void theWrongPrefixIsNamed() {
        String nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
        var e = assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub(nsec));
        assertTrue(e.getMessage().contains("expected the prefix 'npub', got 'nsec'"), e.getMessage());
    }

    @Test
    void theWrongLengthIsNamed() {
        String shortKey = Bech32.encode("npub", new byte[31]);
        var e = assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub(shortKey));
        assertTrue(e.getMessage().contains("expected 32 bytes of data, got 31"), e.getMessage());
    }

    @Test
    void nonBech32CharactersAndMissingSeparatorAreNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Nip19.decodeNpub("npub1bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"));
        assertTrue(e.getMessage().contains("not a bech32 character"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub("npubqqqqqqqqqqqqq"));
        assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub(""));
        assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub(null));
    }

    @Test
    void overlongTextIsRefusedBeforeDecoding() {
        String huge = "npub1" + "q".repeat(Bech32.MAX_LENGTH);
        var e = assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub(huge));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void aTruncatedTlvIsRefused() {
        byte[] tlv = {0, 32, 1, 2, 3};
        String nprofile = Bech32.encode("nprofile", tlv);
        var e = assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNprofile(nprofile));
        assertTrue(e.getMessage().contains("claims 32 bytes"), e.getMessage());
    }

    @Test
    void anNprofileWithoutKeyIsRefused() {
        byte[] tlv = {1, 3, 'w', 's', 's'};
        var e = assertThrows(IllegalArgumentException.class,
                () -> Nip19.decodeNprofile(Bech32.encode("nprofile", tlv)));
        assertTrue(e.getMessage().contains("no public key"), e.getMessage());
    }
}
