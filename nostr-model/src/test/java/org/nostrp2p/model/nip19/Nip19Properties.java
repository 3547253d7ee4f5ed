package org.nostrp2p.model.nip19;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.nostrp2p.model.ModelArbitraries;

class Nip19Properties {
    @Provide
    Arbitrary<byte[]> keys() {
        return ModelArbitraries.bytes(32);
    }

    @Property(tries = 300)
    void npubNsecAndNoteRoundTrip(@ForAll("keys") byte[] key) {
        assertArrayEquals(key, Nip19.decodeNpub(Nip19.encodeNpub(key)));
        assertArrayEquals(key, Nip19.decodeNsec(Nip19.encodeNsec(key)));
        assertArrayEquals(key, Nip19.decodeNote(Nip19.encodeNote(key)));
    }

    @Property(tries = 200)
    void anNeventRoundTrips(@ForAll("keys") byte[] id, @ForAll("keys") byte[] author) {
        var pointer = new EventPointer(id, List.of("wss://a.example", "wss://b.example"), author, 40000L);
        assertEquals(pointer, Nip19.decodeNevent(Nip19.encodeNevent(pointer)));
    }

    @Property(tries = 500)
    void anyChangedCharacterIsCaught(@ForAll("keys") byte[] key, @ForAll("positions") int position,
                                     @ForAll("bech32Chars") char replacement) {
        String npub = Nip19.encodeNpub(key);
        int at = 5 + Math.floorMod(position, npub.length() - 5);
        if (npub.charAt(at) == replacement) {
            return;
        }
        String changed = npub.substring(0, at) + replacement + npub.substring(at + 1);
        // Bech32 detects every single-character substitution.
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub(changed));
    }

    @Property(tries = 500)
    void anyTextRaisesOnlyIllegalArgumentException(@ForAll String text) {
        for (String candidate : List.of(text, "npub1" + text, "nprofile1" + text, "nevent1" + text)) {
            try {
                Nip19.decodeNpub(candidate);
            } catch (IllegalArgumentException expected) {
                // the only failure allowed
            }
            try {
                Nip19.decodeNprofile(candidate);
            } catch (IllegalArgumentException expected) {
                // the only failure allowed
            }
            try {
                Nip19.decodeNevent(candidate);
            } catch (IllegalArgumentException expected) {
                // the only failure allowed
            }
        }
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().greaterOrEqual(0);
    }

    @Provide
    Arbitrary<Character> bech32Chars() {
        return Arbitraries.of("qpzry9x8gf2tvdw0s3jn54khce6mua7l".chars().mapToObj(c -> (char) c).toList());
    }
}
