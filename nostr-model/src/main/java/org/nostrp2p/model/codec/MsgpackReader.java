package org.nostrp2p.model.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * A bounded MessagePack reader over one byte array, taking what different writers produce for
 * the same value: any integer width, str where bin is expected and bin where str is, float32
 * or float64. Every length a header claims is checked against the bytes that remain before
 * anything is allocated, so a lying header costs nothing. Not thread-safe; one per decode.
 */
final class MsgpackReader {
    private static final String[] ONE_ASCII_CHAR = new String[128];

    static {
        for (int c = 0; c < ONE_ASCII_CHAR.length; c++) {
            ONE_ASCII_CHAR[c] = String.valueOf((char) c);
        }
    }

    private final MessageUnpacker unpacker;
    private final int totalBytes;
    private final byte[] bytes;

    MsgpackReader(byte[] bytes) {
        this.bytes = bytes;
        this.unpacker = MessagePack.newDefaultUnpacker(bytes);
        this.totalBytes = bytes.length;
    }

    int remaining() {
        return totalBytes - (int) unpacker.getTotalReadBytes();
    }

    /**
     * The size in bytes of the next value, found by skipping it on a second cursor: nothing of
     * it is decoded or allocated, so a caller can refuse an oversized value before reading it.
     */
    int nextValueBytes(String what) throws IOException {
        int start = position();
        if (start >= totalBytes) {
            throw new CodecException(what + ": expected a value, got the end of the input at byte " + start);
        }
        try (MessageUnpacker scanner = MessagePack.newDefaultUnpacker(bytes, start, totalBytes - start)) {
            scanner.skipValue();
            return (int) scanner.getTotalReadBytes();
        }
    }

    int position() {
        return (int) unpacker.getTotalReadBytes();
    }

    ValueType nextType(String what) throws IOException {
        if (remaining() <= 0) {
            throw new CodecException(what + ": expected a value, got the end of the input at byte " + position());
        }
        MessageFormat format = unpacker.getNextFormat();
        if (format == MessageFormat.NEVER_USED) {
            throw new CodecException(what + ": byte 0xc1 (never used in MessagePack) at byte " + position());
        }
        return format.getValueType();
    }

    /** Consumes a nil if one is next. */
    boolean tryNil(String what) throws IOException {
        if (nextType(what) == ValueType.NIL) {
            unpacker.unpackNil();
            return true;
        }
        return false;
    }

    int mapHeader(String what) throws IOException {
        expect(what, ValueType.MAP, "a map");
        long count;
        try {
            count = unpacker.unpackMapHeader();
        } catch (MessageSizeException e) {
            count = e.getSize();
        }
        // Each entry needs at least two bytes, a key and a value.
        if (count < 0 || count * 2 > remaining()) {
            throw new CodecException(what + ": map claims " + count + " entries, only " + remaining()
                    + " bytes remain");
        }
        return (int) count;
    }

    int arrayHeader(String what) throws IOException {
        expect(what, ValueType.ARRAY, "a list");
        long count;
        try {
            count = unpacker.unpackArrayHeader();
        } catch (MessageSizeException e) {
            count = e.getSize();
        }
        if (count < 0 || count > remaining()) {
            throw new CodecException(what + ": list claims " + count + " elements, only " + remaining()
                    + " bytes remain");
        }
        return (int) count;
    }

    /** Bin, or str (its UTF-8 bytes). */
    byte[] bytes(String what) throws IOException {
        ValueType type = nextType(what);
        int length;
        try {
            if (type == ValueType.BINARY) {
                length = unpacker.unpackBinaryHeader();
            } else if (type == ValueType.STRING) {
                length = unpacker.unpackRawStringHeader();
            } else {
                throw new CodecException(what + ": expected bin or str, got " + describe(type) + " at byte "
                        + position());
            }
        } catch (MessageSizeException e) {
            throw new CodecException(what + ": claims " + e.getSize() + " bytes, only " + remaining() + " remain");
        }
        if (length < 0 || length > remaining()) {
            throw new CodecException(what + ": claims " + Integer.toUnsignedString(length) + " bytes, only "
                    + remaining() + " remain");
        }
        return unpacker.readPayload(length);
    }

    /** Bin or str of exactly {@code length} bytes. */
    byte[] bytes(String what, int length) throws IOException {
        byte[] bytes = bytes(what);
        if (bytes.length != length) {
            throw new CodecException(what + ": expected " + length + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    /** Str, or bin holding UTF-8; malformed UTF-8 is rejected. */
    String string(String what) throws IOException {
        return utf8(what, bytes(what));
    }

    static String utf8(String what, byte[] bytes) {
        // Tiny strings are common in tags ("e", "p", "") and cheap for an attacker to repeat:
        // answer them without allocating.
        if (bytes.length == 0) {
            return "";
        }
        if (bytes.length == 1 && bytes[0] >= 0) {
            return ONE_ASCII_CHAR[bytes[0]];
        }
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(what + ": not valid UTF-8");
        }
    }

    /** Any integer format; a uint64 beyond {@code Long.MAX_VALUE} keeps its 64 bits. */
    long integerBits(String what) throws IOException {
        expect(what, ValueType.INTEGER, "an integer");
        if (unpacker.getNextFormat() == MessageFormat.UINT64) {
            return unpacker.unpackBigInteger().longValue();
        }
        return unpacker.unpackLong();
    }

    /** An integer in {@code min..max}. */
    long integer(String what, long min, long max) throws IOException {
        expect(what, ValueType.INTEGER, "an integer");
        if (unpacker.getNextFormat() == MessageFormat.UINT64) {
            var value = unpacker.unpackBigInteger();
            if (value.bitLength() > 63) {
                throw new CodecException(what + ": expected an integer in " + min + ".." + max + ", got " + value);
            }
            return checkRange(what, value.longValue(), min, max);
        }
        return checkRange(what, unpacker.unpackLong(), min, max);
    }

    /** A float32, float64 or integer, as a double. */
    double number(String what) throws IOException {
        ValueType type = nextType(what);
        if (type == ValueType.FLOAT) {
            return unpacker.unpackDouble();
        }
        if (type == ValueType.INTEGER) {
            if (unpacker.getNextFormat() == MessageFormat.UINT64) {
                return unpacker.unpackBigInteger().doubleValue();
            }
            return unpacker.unpackLong();
        }
        throw new CodecException(what + ": expected a number, got " + describe(type) + " at byte " + position());
    }

    boolean bool(String what) throws IOException {
        expect(what, ValueType.BOOLEAN, "a boolean");
        return unpacker.unpackBoolean();
    }

    void skip(String what) throws IOException {
        nextType(what);
        unpacker.skipValue();
    }

    void expectEnd(String what) {
        if (remaining() != 0) {
            throw new CodecException(what + ": " + remaining() + " unexpected bytes after the value");
        }
    }

    private void expect(String what, ValueType expected, String description) throws IOException {
        ValueType type = nextType(what);
        if (type != expected) {
            throw new CodecException(what + ": expected " + description + ", got " + describe(type) + " at byte "
                    + position());
        }
    }

    private static long checkRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new CodecException(what + ": expected an integer in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    static String describe(ValueType type) {
        return switch (type) {
            case NIL -> "nil";
            case BOOLEAN -> "a boolean";
            case INTEGER -> "an integer";
            case FLOAT -> "a float";
            case STRING -> "a str";
            case BINARY -> "a bin";
            case ARRAY -> "a list";
            case MAP -> "a map";
            case EXTENSION -> "an ext";
        };
    }
}
