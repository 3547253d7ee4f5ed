package org.nostrp2p.overlay.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made gob bytes for tests of malformed input: gob's uint, int, strings and messages,
 * written one piece at a time (what a hostile or broken peer might send).
 */
final class GobBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    GobBytes uint(long value) {
        if (value >= 0 && value < 0x80) {
            out.write((int) value);
            return this;
        }
        int n = 8 - Long.numberOfLeadingZeros(value) / 8;
        out.write(256 - n);
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    GobBytes sint(long value) {
        return uint(value < 0 ? (~value << 1) | 1 : value << 1);
    }

    GobBytes string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        uint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    GobBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** Appends {@code body} as one message: its length, then its bytes. */
    GobBytes message(GobBytes body) {
        byte[] b = body.bytes();
        uint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** @return a struct type definition message body: {@code -id}, wireType{StructT{CommonType{name, id}, fields}} */
    static GobBytes structDefinition(int id, String name, Object... fieldNamesAndIds) {
        GobBytes b = new GobBytes().sint(-id).uint(3).uint(1).uint(1).string(name).uint(1).sint(id).uint(0);
        b.uint(1).uint(fieldNamesAndIds.length / 2);
        for (int i = 0; i < fieldNamesAndIds.length; i += 2) {
            b.uint(1).string((String) fieldNamesAndIds[i]).uint(1).sint((Integer) fieldNamesAndIds[i + 1]).uint(0);
        }
        return b.uint(0).uint(0);
    }

    /** @return a slice type definition message body */
    static GobBytes sliceDefinition(int id, int elemId) {
        return new GobBytes().sint(-id).uint(2).uint(1).uint(2).sint(id).uint(0).uint(1).sint(elemId).uint(0).uint(0);
    }
}
