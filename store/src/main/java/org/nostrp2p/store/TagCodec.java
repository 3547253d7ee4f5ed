package org.nostrp2p.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's own compact encoding of an event's tags, kept in the {@code tags} column.
 *
 * <p>Layout: a varint count of tags; per tag a varint count of strings; per string a varint
 * byte length and its UTF-8 bytes. Varints are unsigned LEB128 of at most 5 bytes. The
 * decoder is bounded by the blob it is given: no count may claim more elements than bytes
 * remain, so a corrupt row never makes it allocate more than the row's own size.
 */
final class TagCodec {

    /** A varint holds at most 32 bits, in at most 5 bytes. */
    private static final int MAX_VARINT_BYTES = 5;

    private TagCodec() {
    }

    static byte[] encode(List<List<String>> tags) {
        var out = new ByteArrayOutputStream(16 + tags.size() * 72);
        writeVarint(out, tags.size());
        for (List<String> tag : tags) {
            writeVarint(out, tag.size());
            for (String value : tag) {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                writeVarint(out, bytes.length);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toByteArray();
    }

    /**
     * @throws IllegalArgumentException when {@code blob} is not a valid encoding
     */
    static List<List<String>> decode(byte[] blob) {
        var reader = new Reader(blob);
        int tagCount = reader.count("tag count");
        List<List<String>> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            int valueCount = reader.count("value count of tag " + i);
            List<String> tag = new ArrayList<>(valueCount);
            for (int j = 0; j < valueCount; j++) {
                int length = reader.count("length of value " + j + " of tag " + i);
                tag.add(new String(blob, reader.take(length), length, StandardCharsets.UTF_8));
            }
            tags.add(tag);
        }
        if (reader.position != blob.length) {
            throw new IllegalArgumentException("tags blob has " + (blob.length - reader.position)
                    + " trailing bytes");
        }
        return tags;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static final class Reader {
        private final byte[] blob;
        private int position;

        Reader(byte[] blob) {
            this.blob = blob;
        }

        /** A varint that counts bytes or elements still to come, so it cannot exceed what remains. */
        int count(String what) {
            long value = 0;
            for (int i = 0; i < MAX_VARINT_BYTES; i++) {
                if (position >= blob.length) {
                    throw new IllegalArgumentException("tags blob ends inside the " + what);
                }
                int b = blob[position++] & 0xFF;
                value |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    if (value > blob.length - position) {
                        throw new IllegalArgumentException(what + " is " + value + " but only "
                                + (blob.length - position) + " bytes remain");
                    }
                    return (int) value;
                }
            }
            throw new IllegalArgumentException("the " + what + " is a varint longer than "
                    + MAX_VARINT_BYTES + " bytes");
        }

        int take(int length) {
            int start = position;
            position += length;
            return start;
        }
    }
}
