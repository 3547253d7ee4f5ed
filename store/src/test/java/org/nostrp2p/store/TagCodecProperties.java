package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The store's own tag encoding: round trips, and a bounded, total decoder. */
class TagCodecProperties {

    @Property(tries = 300)
    void decodingAnEncodingGivesTheTagsBack(@ForAll("tagLists") List<List<String>> tags) {
        assertEquals(tags, TagCodec.decode(TagCodec.encode(tags)));
    }

    @Property
    void arbitraryBytesDecodeOrFailWithIllegalArgumentOnly(@ForAll @Size(max = 64) byte[] blob) {
        try {
            TagCodec.decode(blob);
        } catch (IllegalArgumentException expected) {
            // the only failure allowed
        }
    }

    @Property(tries = 300)
    void aTruncatedOrExtendedEncodingIsRefused(@ForAll("tagLists") List<List<String>> tags, @ForAll boolean extend) {
        byte[] encoded = TagCodec.encode(tags);
        byte[] damaged = java.util.Arrays.copyOf(encoded, extend ? encoded.length + 1 : encoded.length - 1);
        try {
            TagCodec.decode(damaged);
            throw new AssertionError("decoded a damaged encoding of " + tags);
        } catch (IllegalArgumentException expected) {
            // refused
        }
    }

    @Example
    void aHugeClaimedCountAllocatesNothing() {
        // 0xFFFFFFFF0F: a tag count of 2^32-1 in a 5-byte blob.
        byte[] blob = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
        try {
            TagCodec.decode(blob);
            throw new AssertionError("accepted a count larger than the blob");
        } catch (IllegalArgumentException expected) {
            // refused before allocating
        }
    }

    @Provide
    Arbitrary<List<List<String>>> tagLists() {
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').withChars("日本語\u0000é\n")
                .ofMaxLength(40);
        return values.list().ofMaxSize(5).list().ofMaxSize(6);
    }
}
