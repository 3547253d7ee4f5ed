package org.nostrp2p.overlay;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.nostrp2p.overlay.wire.ProtocolException;

/**
 * Reads one of the Java-only messages (topology digests, broadcast repair) exactly and within
 * its bytes: reading past the end, a varint longer than 64 bits or bytes left over is a
 * {@link ProtocolException} naming the message and the byte where it went wrong.
 */
final class BoundedReader {

    private final String what;
    private final byte[] data;
    private int position;

    /**
     * @param what the message's name, first in every error
     * @param data the message
     */
    BoundedReader(String what, byte[] data) {
        this.what = what;
        this.data = data;
    }

    int readByte() {
        if (position >= data.length) {
            throw new ProtocolException(what + ": truncated at byte " + position);
        }
        return data[position++] & 0xFF;
    }

    byte[] readBytes(int n) {
        if (n < 0 || data.length - position < n) {
            throw new ProtocolException(what + ": truncated at byte " + position);
        }
        byte[] out = Arrays.copyOfRange(data, position, position + n);
        position += n;
        return out;
    }

    long readLong() {
        long value = 0;
        for (int b = 0; b < 8; b++) {
            value = (value << 8) | readByte();
        }
        return value;
    }

    long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new ProtocolException(what + ": a varint longer than 64 bits");
    }

    /** @return the bytes not read yet, which are then read */
    byte[] readRest() {
        return readBytes(remaining());
    }

    int remaining() {
        return data.length - position;
    }

    int length() {
        return data.length;
    }

    /** @throws ProtocolException when bytes are left after {@code last} */
    void expectEnd(String last) {
        if (position != data.length) {
            throw new ProtocolException(what + ": " + (data.length - position) + " bytes after the " + last);
        }
    }

    static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    static void writeLong(ByteArrayOutputStream out, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
    }
}
