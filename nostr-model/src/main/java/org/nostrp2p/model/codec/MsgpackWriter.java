package org.nostrp2p.model.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Writes MessagePack in the forms Go's vmihailenco/msgpack/v5 chooses for NostrP2P's field
 * types: fixed-width uint16 (0xcd) and uint64 (0xcf) whatever the value, float64 (0xcb),
 * int64 (0xd3) for an {@code interface{}} integer, and the smallest str/bin/map/array header
 * for the length. Not thread-safe; one per encode.
 */
final class MsgpackWriter {
    private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    private final byte[] scratch = new byte[9];

    MsgpackWriter mapHeader(int entries) throws IOException {
        packer.packMapHeader(entries);
        return this;
    }

    MsgpackWriter arrayHeader(int elements) throws IOException {
        packer.packArrayHeader(elements);
        return this;
    }

    /** A key or other str: smallest header, UTF-8 payload. */
    MsgpackWriter str(String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        packer.packRawStringHeader(utf8.length);
        packer.writePayload(utf8);
        return this;
    }

    MsgpackWriter bin(byte[] value) throws IOException {
        packer.packBinaryHeader(value.length);
        packer.writePayload(value);
        return this;
    }

    MsgpackWriter nil() throws IOException {
        packer.packNil();
        return this;
    }

    MsgpackWriter bool(boolean value) throws IOException {
        packer.packBoolean(value);
        return this;
    }

    MsgpackWriter float64(double value) throws IOException {
        packer.packDouble(value);
        return this;
    }

    /** Go {@code uint16}: always 0xcd and two bytes. */
    MsgpackWriter uint16(int value) throws IOException {
        scratch[0] = (byte) 0xcd;
        scratch[1] = (byte) (value >>> 8);
        scratch[2] = (byte) value;
        packer.writePayload(scratch, 0, 3);
        return this;
    }

    /** Go {@code uint64}: always 0xcf and eight bytes (the long's bits, unsigned). */
    MsgpackWriter uint64(long value) throws IOException {
        return fixed64((byte) 0xcf, value);
    }

    /** Go {@code int64}: always 0xd3 and eight bytes. */
    MsgpackWriter int64(long value) throws IOException {
        return fixed64((byte) 0xd3, value);
    }

    private MsgpackWriter fixed64(byte marker, long value) throws IOException {
        scratch[0] = marker;
        for (int i = 0; i < 8; i++) {
            scratch[1 + i] = (byte) (value >>> (56 - 8 * i));
        }
        packer.writePayload(scratch, 0, 9);
        return this;
    }

    byte[] toByteArray() {
        return packer.toByteArray();
    }
}
