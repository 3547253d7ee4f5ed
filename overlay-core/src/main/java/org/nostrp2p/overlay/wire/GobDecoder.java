package org.nostrp2p.overlay.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one gob stream as Go's {@code gob.Decoder} writes it: messages of (uint byte count,
 * type id, value), with type definitions (negative ids) received before the values that use
 * them. Type ids are per stream: definitions are parsed, never assumed; a definition may
 * refer to a type defined later in the stream (a slice before its element), and is resolved
 * when a value uses it. Struct fields are matched by name; fields this reader does not ask
 * for are skipped whatever their type.
 *
 * <p>Bounded and total: every length and count is checked against the bytes left in its
 * message before anything is allocated; definitions, fields, nesting and decoded elements
 * are capped; anything wrong raises {@link GobDecodingException}. Interface values are not
 * supported (mesh sends none).
 *
 * <p>Not thread-safe: one decoder per stream.
 */
final class GobDecoder {

    /** Most type definitions one stream may carry (mesh's topology stream has three). */
    static final int MAX_TYPE_DEFINITIONS = 64;
    /** Most fields a struct definition may have (peerSummary has six). */
    static final int MAX_STRUCT_FIELDS = 256;
    /** Deepest nesting of structs, slices, maps and arrays inside one value. */
    static final int MAX_DEPTH = 16;
    /** Most struct, slice and map elements one stream may decode, so memory stays proportionate. */
    static final int MAX_ELEMENTS = 1 << 17;

    private static final int FIRST_USER_ID = 64;
    private static final int BOOL = 1;
    private static final int INT = 2;
    private static final int UINT = 3;
    private static final int FLOAT = 4;
    private static final int BYTES = 5;
    private static final int STRING = 6;
    private static final int COMPLEX = 7;
    private static final int INTERFACE = 8;

    /** A type defined in the stream (encoding/gob wireType). */
    private sealed interface Definition {
    }

    private record StructDef(String name, List<FieldDef> fields) implements Definition {
        @Override
        public String toString() {
            return "struct " + name;
        }
    }

    private record FieldDef(String name, int typeId) {
    }

    private record SliceDef(int elemId) implements Definition {
    }

    private record ArrayDef(int elemId, long length) implements Definition {
    }

    private record MapDef(int keyId, int elemId) implements Definition {
    }

    /** GobEncoder, BinaryMarshaler and TextMarshaler types: the value is length-prefixed bytes. */
    private record OpaqueDef(String name) implements Definition {
    }

    /** Names a field in error messages; built into text only when there is an error. */
    private record FieldOf(String field, Object of) {
        @Override
        public String toString() {
            return "field " + field + " of " + of;
        }
    }

    private final byte[] in;
    private int pos;
    /** End of the current message: no read may pass it. */
    private int end;
    private final Map<Integer, Definition> definitions = new HashMap<>();
    private int elements;

    /**
     * @param stream the whole stream; it is not copied and must not change while read
     */
    GobDecoder(byte[] stream) {
        this.in = stream;
    }

    /** @return how many bytes of the stream have been read */
    int position() {
        return pos;
    }

    /** @return whether the stream has no more messages */
    boolean atEnd() {
        return pos == in.length;
    }

    /**
     * Passes over the next value, which must be a gob []byte, without copying it: its bytes
     * are the {@code length} before {@link #position()} then.
     *
     * @param what what the caller expects, for the error message
     * @return how many bytes the value holds
     */
    int skipBytes(String what) {
        int id = beginValue(what);
        expectBuiltin(id, BYTES, what);
        readSingletonDelta(what);
        int length = (int) readCount(what, 1);
        pos += length;
        endValue(what);
        return length;
    }

    /**
     * @param what what the caller expects, for the error message
     * @return the next value, which must be a gob string
     */
    String readString(String what) {
        int id = beginValue(what);
        expectBuiltin(id, STRING, what);
        readSingletonDelta(what);
        String s = readStringBody(what);
        endValue(what);
        return s;
    }

    /**
     * @param what what the caller expects, for the error message
     * @return the next value's unsigned bits; it must be a gob uint
     */
    long readUint(String what) {
        int id = beginValue(what);
        expectBuiltin(id, UINT, what);
        readSingletonDelta(what);
        long v = readRawUint(what);
        endValue(what);
        return v;
    }

    /**
     * @param what what the caller expects, for the error message
     * @return the next value, which must be a gob []byte
     */
    byte[] readBytes(String what) {
        int length = skipBytes(what);
        return java.util.Arrays.copyOfRange(in, pos - length, pos);
    }

    /**
     * @param what what the caller expects, for the error message
     * @return the next value, which must be a gob map[string]string; later duplicates win, as in Go
     */
    Map<String, String> readStringMap(String what) {
        int id = beginValue(what);
        Definition def = definition(id, what);
        if (!(def instanceof MapDef map) || map.keyId() != STRING || map.elemId() != STRING) {
            throw new GobDecodingException("expected " + what + " as a gob map[string]string, got " + describe(id));
        }
        readSingletonDelta(what);
        long count = readCount(what, 2);
        Map<String, String> out = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            countElement(what);
            String key = readStringBody(what);
            out.put(key, readStringBody(what));
        }
        endValue(what);
        return out;
    }

    /**
     * @param what what the caller expects, for the error message
     * @return the next value, which must be a gob struct; its built-in fields read
     */
    GobStruct readStruct(String what) {
        int id = beginValue(what);
        if (!(definition(id, what) instanceof StructDef def)) {
            throw new GobDecodingException("expected " + what + " as a gob struct, got " + describe(id));
        }
        GobStruct s = readStructBody(def, what, 0);
        endValue(what);
        return s;
    }

    /**
     * @param what what the caller expects, for the error message
     * @return the next value, which must be a gob slice of structs
     */
    List<GobStruct> readStructSlice(String what) {
        int id = beginValue(what);
        if (!(definition(id, what) instanceof SliceDef slice)
                || !(definition(slice.elemId(), what) instanceof StructDef elem)) {
            throw new GobDecodingException("expected " + what + " as a gob slice of structs, got " + describe(id));
        }
        readSingletonDelta(what);
        long count = readCount(what, 1);
        List<GobStruct> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            countElement(what);
            out.add(readStructBody(elem, what, 1));
        }
        endValue(what);
        return out;
    }

    // ---- messages and definitions

    /** Reads type definitions up to the next value message; returns the value's type id. */
    private int beginValue(Object what) {
        if (pos != end) {
            throw new IllegalStateException("the previous value was not read to its end");
        }
        boolean sawDefinition = false;
        while (true) {
            if (atEnd()) {
                throw new GobDecodingException("expected " + what + ", but the gob stream "
                        + (sawDefinition ? "ended after type definitions without a value" : "ended"));
            }
            end = in.length; // the count itself must fit in the stream
            long count = readRawUint("a gob message length");
            if (count == 0) {
                throw new GobDecodingException("expected " + what + ", got an empty gob message");
            }
            if (count < 0 || count > in.length - pos) { // negative: above 2^63 as unsigned
                throw new GobDecodingException("a gob message claims " + Long.toUnsignedString(count)
                        + " bytes, but " + (in.length - pos) + " are left");
            }
            end = pos + (int) count;
            long id = readRawInt("a gob type id");
            if (id > 0 && id <= Integer.MAX_VALUE) {
                return (int) id;
            }
            if (id >= 0 || id < -Integer.MAX_VALUE) {
                throw new GobDecodingException("expected a gob type id, got " + id);
            }
            receiveDefinition((int) -id);
            sawDefinition = true;
            if (pos != end) {
                throw new GobDecodingException("extra data after the definition of gob type " + (-id));
            }
        }
    }

    private void endValue(Object what) {
        if (pos != end) {
            throw new GobDecodingException((end - pos) + " bytes left over after " + what);
        }
    }

    private void readSingletonDelta(Object what) {
        long delta = readRawUint(what);
        if (delta != 0) {
            throw new GobDecodingException("corrupted gob value for " + what + ": non-zero delta " + delta
                    + " for a value outside a struct");
        }
    }

    // wireType{ArrayT 0, SliceT 1, StructT 2, MapT 3, GobEncoderT 4, BinaryMarshalerT 5, TextMarshalerT 6}
    private void receiveDefinition(int id) {
        if (id < FIRST_USER_ID) {
            throw new GobDecodingException("a gob type definition for reserved id " + id);
        }
        if (definitions.containsKey(id)) {
            throw new GobDecodingException("gob type " + id + " is defined twice");
        }
        if (definitions.size() >= MAX_TYPE_DEFINITIONS) {
            throw new GobDecodingException("more than " + MAX_TYPE_DEFINITIONS + " gob type definitions in one stream");
        }
        Definition def = null;
        int field = -1;
        long delta;
        while ((delta = readRawUint("a gob type definition")) != 0) {
            field = nextField(field, delta, 7, "wireType");
            if (def != null) {
                throw new GobDecodingException("gob type " + id + " is defined as two kinds at once");
            }
            def = switch (field) {
                case 0 -> readArrayType();
                case 1 -> readSliceType();
                case 2 -> readStructType();
                case 3 -> readMapType();
                default -> new OpaqueDef(readCommonTypeOnly());
            };
        }
        if (def == null) {
            throw new GobDecodingException("gob type " + id + " has an empty definition");
        }
        definitions.put(id, def);
    }

    private ArrayDef readArrayType() {
        int elem = 0;
        long length = 0;
        int field = -1;
        long delta;
        while ((delta = readRawUint("a gob array type")) != 0) {
            field = nextField(field, delta, 3, "arrayType");
            switch (field) {
                case 0 -> readCommonType();
                case 1 -> elem = readTypeIdReference();
                default -> length = readRawInt("a gob array length");
            }
        }
        if (length < 0) {
            throw new GobDecodingException("a gob array type of negative length " + length);
        }
        return new ArrayDef(elem, length);
    }

    private SliceDef readSliceType() {
        int elem = 0;
        int field = -1;
        long delta;
        while ((delta = readRawUint("a gob slice type")) != 0) {
            field = nextField(field, delta, 2, "sliceType");
            if (field == 0) {
                readCommonType();
            } else {
                elem = readTypeIdReference();
            }
        }
        return new SliceDef(elem);
    }

    private MapDef readMapType() {
        int key = 0;
        int elem = 0;
        int field = -1;
        long delta;
        while ((delta = readRawUint("a gob map type")) != 0) {
            field = nextField(field, delta, 3, "mapType");
            switch (field) {
                case 0 -> readCommonType();
                case 1 -> key = readTypeIdReference();
                default -> elem = readTypeIdReference();
            }
        }
        return new MapDef(key, elem);
    }

    private StructDef readStructType() {
        String name = "";
        List<FieldDef> fields = new ArrayList<>();
        int field = -1;
        long delta;
        while ((delta = readRawUint("a gob struct type")) != 0) {
            field = nextField(field, delta, 2, "structType");
            if (field == 0) {
                name = readCommonType();
                continue;
            }
            long count = readCount("the fields of a gob struct type", 1);
            if (count > MAX_STRUCT_FIELDS) {
                throw new GobDecodingException("a gob struct type with " + count + " fields, more than "
                        + MAX_STRUCT_FIELDS);
            }
            for (long i = 0; i < count; i++) {
                fields.add(readFieldType());
            }
        }
        return new StructDef(name, List.copyOf(fields));
    }

    private FieldDef readFieldType() {
        String name = "";
        int typeId = 0;
        int field = -1;
        long delta;
        while ((delta = readRawUint("a gob struct field")) != 0) {
            field = nextField(field, delta, 2, "fieldType");
            if (field == 0) {
                name = readStringBody("a gob field name");
            } else {
                typeId = readTypeIdReference();
            }
        }
        return new FieldDef(name, typeId);
    }

    /** CommonType{Name string, Id int}; returns Name (the id is the message's, as in Go). */
    private String readCommonType() {
        String name = "";
        int field = -1;
        long delta;
        while ((delta = readRawUint("a gob type's common part")) != 0) {
            field = nextField(field, delta, 2, "CommonType");
            if (field == 0) {
                name = readStringBody("a gob type name");
            } else {
                readRawInt("a gob type id");
            }
        }
        return name;
    }

    /** gobEncoderType{CommonType}. */
    private String readCommonTypeOnly() {
        String name = "";
        int field = -1;
        long delta;
        while ((delta = readRawUint("a gob encoder type")) != 0) {
            field = nextField(field, delta, 1, "gobEncoderType");
            name = readCommonType();
        }
        return name;
    }

    private int readTypeIdReference() {
        long id = readRawInt("a gob type id");
        if (id < 1 || id > Integer.MAX_VALUE || (id > INTERFACE && id < FIRST_USER_ID)) {
            throw new GobDecodingException("a gob type definition refers to invalid type id " + id);
        }
        return (int) id;
    }

    private static int nextField(int field, long delta, int fieldCount, Object type) {
        if (delta < 0 || delta > fieldCount) {
            throw new GobDecodingException("field delta " + Long.toUnsignedString(delta) + " out of range in gob " + type);
        }
        int next = field + (int) delta;
        if (next >= fieldCount) {
            throw new GobDecodingException("field " + next + " out of range in gob " + type
                    + ", which has " + fieldCount + " fields");
        }
        return next;
    }

    /** @return the definition of a type the stream defined, {@code null} for a built-in */
    private Definition definition(int id, Object what) {
        if (id >= BOOL && id <= INTERFACE) {
            return null;
        }
        Definition def = definitions.get(id);
        if (def == null) {
            throw new GobDecodingException(what + " uses gob type " + id + ", which the stream has not defined");
        }
        return def;
    }

    private String describe(int id) {
        switch (id) {
            case BOOL: return "bool";
            case INT: return "int";
            case UINT: return "uint";
            case FLOAT: return "float";
            case BYTES: return "[]byte";
            case STRING: return "string";
            case COMPLEX: return "complex";
            case INTERFACE: return "interface";
            default: break;
        }
        Definition def = definitions.get(id);
        if (def instanceof StructDef s) {
            return "struct " + (s.name().isEmpty() ? "#" + id : s.name());
        } else if (def instanceof SliceDef) {
            return "a slice (type " + id + ")";
        } else if (def instanceof ArrayDef) {
            return "an array (type " + id + ")";
        } else if (def instanceof MapDef) {
            return "a map (type " + id + ")";
        } else if (def instanceof OpaqueDef o) {
            return "an encoded " + o.name();
        }
        return "undefined type " + id;
    }

    private void expectBuiltin(int id, int expected, Object what) {
        if (id != expected) {
            definition(id, what);
            throw new GobDecodingException("expected " + what + " as a gob " + describe(expected)
                    + ", got " + describe(id));
        }
    }

    // ---- values

    private GobStruct readStructBody(StructDef def, Object what, int depth) {
        enter(depth, what);
        GobStruct s = new GobStruct(def.name());
        int field = -1;
        long delta;
        while ((delta = readRawUint(what)) != 0) {
            field = nextField(field, delta, def.fields().size(), def);
            FieldDef f = def.fields().get(field);
            FieldOf fieldWhat = new FieldOf(f.name(), what);
            switch (f.typeId()) {
                case BOOL -> s.put(f.name(), "bool", readRawUint(fieldWhat) != 0);
                case UINT -> s.put(f.name(), "uint", readRawUint(fieldWhat));
                case INT -> s.put(f.name(), "int", readRawInt(fieldWhat));
                case STRING -> s.put(f.name(), "string", readStringBody(fieldWhat));
                case BYTES -> s.put(f.name(), "[]byte", readByteSlice(fieldWhat));
                default -> {
                    definition(f.typeId(), fieldWhat);
                    s.put(f.name(), describe(f.typeId()), null);
                    skipValue(f.typeId(), fieldWhat, depth + 1);
                }
            }
        }
        return s;
    }

    private void skipValue(int id, Object what, int depth) {
        enter(depth, what);
        switch (id) {
            case BOOL, INT, UINT, FLOAT -> readRawUint(what);
            case COMPLEX -> {
                readRawUint(what);
                readRawUint(what);
            }
            case BYTES, STRING -> skip(readCount(what, 1));
            case INTERFACE -> throw new GobDecodingException(what + " is a gob interface value, which is not supported");
            default -> skipDefined(id, what, depth);
        }
    }

    private void skipDefined(int id, Object what, int depth) {
        Definition def = definition(id, what);
        if (def instanceof StructDef s) {
            int field = -1;
            long delta;
            while ((delta = readRawUint(what)) != 0) {
                field = nextField(field, delta, s.fields().size(), s);
                skipValue(s.fields().get(field).typeId(), what, depth + 1);
            }
        } else if (def instanceof SliceDef slice) {
            long count = readCount(what, 1);
            for (long i = 0; i < count; i++) {
                countElement(what);
                skipValue(slice.elemId(), what, depth + 1);
            }
        } else if (def instanceof ArrayDef array) {
            long count = readCount(what, 1);
            if (count != array.length()) {
                throw new GobDecodingException(what + ": an array of length " + array.length() + " holds " + count);
            }
            for (long i = 0; i < count; i++) {
                countElement(what);
                skipValue(array.elemId(), what, depth + 1);
            }
        } else if (def instanceof MapDef map) {
            long count = readCount(what, 2);
            for (long i = 0; i < count; i++) {
                countElement(what);
                skipValue(map.keyId(), what, depth + 1);
                skipValue(map.elemId(), what, depth + 1);
            }
        } else {
            skip(readCount(what, 1));
        }
    }

    private static void enter(int depth, Object what) {
        if (depth > MAX_DEPTH) {
            throw new GobDecodingException(what + " nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void countElement(Object what) {
        if (++elements > MAX_ELEMENTS) {
            throw new GobDecodingException(what + ": more than " + MAX_ELEMENTS + " elements in one gob stream");
        }
    }

    // ---- primitives, all bounded by the current message

    private String readStringBody(Object what) {
        return new String(readByteSlice(what), StandardCharsets.UTF_8);
    }

    private byte[] readByteSlice(Object what) {
        int length = (int) readCount(what, 1);
        byte[] out = new byte[length];
        System.arraycopy(in, pos, out, 0, length);
        pos += length;
        return out;
    }

    /**
     * A length or element count, checked against the bytes left in the message, each element
     * needing at least {@code minBytesPerElement}.
     */
    private long readCount(Object what, int minBytesPerElement) {
        long count = readRawUint(what);
        int left = end - pos;
        if (count < 0 || count > left / minBytesPerElement) {
            throw new GobDecodingException(what + " claims a length of " + Long.toUnsignedString(count)
                    + ", but its message has " + left + " bytes left");
        }
        return count;
    }

    private void skip(long bytes) {
        pos += (int) bytes;
    }

    private long readRawInt(Object what) {
        long u = readRawUint(what);
        long i = u >>> 1;
        return (u & 1) != 0 ? ~i : i;
    }

    // uint: a byte below 0x80 is the value; otherwise its negation is the count of big-endian bytes that follow.
    private long readRawUint(Object what) {
        int first = readByte(what);
        if (first < 0x80) {
            return first;
        }
        int count = uintByteCount(first, end - pos, what);
        long v = uintBytes(in, pos, count);
        pos += count;
        return v;
    }

    /**
     * For a gob uint whose first byte is {@code first} (0x80 or more): how many big-endian
     * bytes follow, checked against the {@code left} bytes there are; shared with the
     * topology fast path ({@link TopologyGobCodec}).
     */
    static int uintByteCount(int first, int left, Object what) {
        int count = 256 - first;
        if (count > 8) {
            throw new GobDecodingException(what + ": invalid gob uint length byte 0x" + Integer.toHexString(first));
        }
        if (count > left) {
            throw new GobDecodingException(what + ": a gob uint of " + count + " bytes is cut off after " + left);
        }
        return count;
    }

    /** @return the {@code count} big-endian bytes of {@code in} from {@code from} as an unsigned value */
    static long uintBytes(byte[] in, int from, int count) {
        long v = 0;
        for (int i = 0; i < count; i++) {
            v = (v << 8) | (in[from + i] & 0xFF);
        }
        return v;
    }

    private int readByte(Object what) {
        if (pos >= end) {
            throw new GobDecodingException("expected " + what + ", but the gob message ended");
        }
        return in[pos++] & 0xFF;
    }
}
