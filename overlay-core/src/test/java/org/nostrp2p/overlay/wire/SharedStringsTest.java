package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SharedStringsTest {

    private static String decode(String text, int offset) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[offset + bytes.length + 3];
        System.arraycopy(bytes, 0, framed, offset, bytes.length);
        return SharedStrings.of(framed, offset, bytes.length);
    }

    @Test
    void theSameAsciiBytesGiveTheStringMadeBefore() {
        String first = decode("127.0.0.1:40123", 5);

        assertEquals("127.0.0.1:40123", first);
        assertSame(first, decode("127.0.0.1:40123", 11));
    }

    @Test
    void nonAsciiAndLongStringsAreDecodedAsUtf8AndNotShared() {
        String nonAscii = "pair-\u00e9\u65e5";
        String longer = "a".repeat(SharedStrings.MAX_LENGTH + 1);

        assertEquals(nonAscii, decode(nonAscii, 0));
        assertNotSame(decode(nonAscii, 0), decode(nonAscii, 0));
        assertEquals(longer, decode(longer, 2));
        assertNotSame(decode(longer, 2), decode(longer, 2));
    }

    @Test
    void stringsThatShareASlotAreEachDecodedAsTheirOwnBytes() {
        for (int i = 0; i < 20_000; i++) {
            String address = "10.0." + (i / 256) + "." + (i % 256) + ":6783";
            assertEquals(address, decode(address, i % 7));
        }
        assertEquals("", decode("", 0));
    }
}
