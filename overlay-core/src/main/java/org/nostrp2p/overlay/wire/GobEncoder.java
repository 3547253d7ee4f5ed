package org.nostrp2p.overlay.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one gob stream the way Go's {@code gob.Encoder} does: each value is a message
 * (uint byte count, type id, value), preceded by the definitions of the types this stream
 * has not sent yet. Ids are allocated per stream from 65 in Go's order (a struct before its
 * fields, a slice or map after its elements), so a stream equals what a fresh Go process
 * writes for the same values.
 *
 * <p>Values: {@code Boolean}; {@code Long} for uint (the unsigned bits) and int;
 * {@code byte[]}; {@code String}; a {@code List} of field values (in field order, {@code null}
 * for zero) for a struct; a {@code List} for a slice; a {@code Map} for a map.
 *
 * <p>Not thread-safe: one encoder per stream.
 */
final class GobEncoder {

    /** Go's firstUserId is 64; Go's own bootstrap takes it, so the first user type gets 65. */
    private static final int FIRST_STREAM_TYPE_ID = 65;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<GobType, Integer> ids = new HashMap<>();
    private final Map<GobType, Boolean> sent = new HashMap<>();
    private int nextId = FIRST_STREAM_TYPE_ID;

    /** Writes a string value (gob type 6). */
    void writeString(String value) {
        write(GobType.Builtin.STRING, value);
    }

    /** Writes a uint value (gob type 3); {@code value} holds the unsigned bits. */
    void writeUint(long value) {
        write(GobType.Builtin.UINT, value);
    }

    /** Writes a byte slice value (gob type 5). */
    void writeBytes(byte[] value) {
        write(GobType.Builtin.BYTES, value);
    }

    /**
     * Writes one top-level value, sending first the definitions of its types not yet sent.
     *
     * @param type  its type
     * @param value its value, shaped as the class comment says
     */
    void write(GobType type, Object value) {
        sendTypeDefinitions(type);
        GobBuffer message = new GobBuffer();
        message.writeInt(idOf(type));
        if (!(type instanceof GobType.Struct)) {
            message.writeUint(0); // the singleton field delta: no struct frames this value
        }
        writeValue(message, type, value);
        writeMessage(message);
    }

    /** @return the stream written so far */
    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void writeMessage(GobBuffer message) {
        GobBuffer count = new GobBuffer();
        count.writeUint(message.size());
        count.writeTo(out);
        message.writeTo(out);
    }

    private int idOf(GobType type) {
        if (type instanceof GobType.Builtin builtin) {
            return builtin.id;
        }
        Integer id = ids.get(type);
        if (id == null) {
            allocateIds(type);
            id = ids.get(type);
        }
        return id;
    }

    // Go's order (type.go newTypeObject): a struct takes its id before its fields' types;
    // slices and maps take theirs after their elements'.
    private void allocateIds(GobType type) {
        if (type instanceof GobType.Builtin || ids.containsKey(type)) {
            return;
        }
        if (type instanceof GobType.Struct s) {
            ids.put(s, nextId++);
            for (GobType.Field f : s.fields()) {
                allocateIds(f.type());
            }
        } else if (type instanceof GobType.Slice s) {
            allocateIds(s.elem());
            ids.put(s, nextId++);
        } else if (type instanceof GobType.MapOf m) {
            allocateIds(m.key());
            allocateIds(m.elem());
            ids.put(m, nextId++);
        }
    }

    // Go's order (encoder.go sendType): the type's own definition, then its components'.
    private void sendTypeDefinitions(GobType type) {
        if (type instanceof GobType.Builtin || sent.containsKey(type)) {
            return;
        }
        int id = idOf(type);
        GobBuffer message = new GobBuffer();
        message.writeInt(-id);
        writeWireType(message, type, id);
        writeMessage(message);
        sent.put(type, Boolean.TRUE);
        if (type instanceof GobType.Struct s) {
            s.fields().forEach(f -> sendTypeDefinitions(f.type()));
        } else if (type instanceof GobType.Slice s) {
            sendTypeDefinitions(s.elem());
        } else if (type instanceof GobType.MapOf m) {
            sendTypeDefinitions(m.key());
            sendTypeDefinitions(m.elem());
        }
    }

    // wireType{ArrayT 0, SliceT 1, StructT 2, MapT 3, ...}; each xxxType starts with
    // CommonType{Name, Id} as field 0. Zero fields (an empty Name) are omitted.
    private void writeWireType(GobBuffer message, GobType type, int id) {
        if (type instanceof GobType.Struct s) {
            message.writeUint(3); // StructT, field 2
            message.writeUint(1); // CommonType
            writeCommonType(message, s.name(), id);
            if (!s.fields().isEmpty()) {
                message.writeUint(1); // Field []*fieldType, omitted when empty
                message.writeUint(s.fields().size());
            }
            for (GobType.Field f : s.fields()) {
                if (!f.name().isEmpty()) {
                    message.writeUint(1);
                    message.writeString(f.name());
                    message.writeUint(1);
                } else {
                    message.writeUint(2);
                }
                message.writeInt(idOf(f.type()));
                message.writeUint(0);
            }
            message.writeUint(0); // end of structType
        } else if (type instanceof GobType.Slice s) {
            message.writeUint(2); // SliceT, field 1
            message.writeUint(1);
            writeCommonType(message, "", id);
            message.writeUint(1);
            message.writeInt(idOf(s.elem()));
            message.writeUint(0);
        } else if (type instanceof GobType.MapOf m) {
            message.writeUint(4); // MapT, field 3
            message.writeUint(1);
            writeCommonType(message, "", id);
            message.writeUint(1);
            message.writeInt(idOf(m.key()));
            message.writeUint(1);
            message.writeInt(idOf(m.elem()));
            message.writeUint(0);
        }
        message.writeUint(0); // end of wireType
    }

    private static void writeCommonType(GobBuffer message, String name, int id) {
        if (name.isEmpty()) {
            message.writeUint(2);
        } else {
            message.writeUint(1);
            message.writeString(name);
            message.writeUint(1);
        }
        message.writeInt(id);
        message.writeUint(0);
    }

    private void writeValue(GobBuffer message, GobType type, Object value) {
        if (type instanceof GobType.Builtin b) {
            writeBuiltin(message, b, value);
        } else if (type instanceof GobType.Struct s) {
            List<?> values = (List<?>) value;
            if (values.size() != s.fields().size()) {
                throw new IllegalArgumentException(s.name() + " has " + s.fields().size()
                        + " fields, got " + values.size() + " values");
            }
            int last = -1;
            for (int i = 0; i < values.size(); i++) {
                Object fieldValue = values.get(i);
                if (isZero(fieldValue)) {
                    continue;
                }
                message.writeUint(i - last);
                last = i;
                writeValue(message, s.fields().get(i).type(), fieldValue);
            }
            message.writeUint(0);
        } else if (type instanceof GobType.Slice s) {
            List<?> elements = (List<?>) value;
            message.writeUint(elements.size());
            for (Object element : elements) {
                writeValue(message, s.elem(), element);
            }
        } else if (type instanceof GobType.MapOf m) {
            Map<?, ?> entries = (Map<?, ?>) value;
            message.writeUint(entries.size());
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                writeValue(message, m.key(), e.getKey());
                writeValue(message, m.elem(), e.getValue());
            }
        }
    }

    private static void writeBuiltin(GobBuffer message, GobType.Builtin type, Object value) {
        switch (type) {
            case BOOL -> message.writeUint((Boolean) value ? 1 : 0);
            case UINT -> message.writeUint((Long) value);
            case INT -> message.writeInt((Long) value);
            case BYTES -> {
                byte[] bytes = (byte[]) value;
                message.writeUint(bytes.length);
                message.write(bytes);
            }
            case STRING -> message.writeString((String) value);
            default -> throw new IllegalArgumentException("this encoder does not write gob " + type);
        }
    }

    // Go omits a struct field holding its type's zero value (encode.go sendZero).
    private static boolean isZero(Object value) {
        return value == null
                || value instanceof Boolean b && !b
                || value instanceof Long l && l == 0
                || value instanceof byte[] bytes && bytes.length == 0
                || value instanceof String s && s.isEmpty()
                || value instanceof List<?> list && list.isEmpty();
    }

    /** Gob's variable-length numbers over a growable buffer. */
    private static final class GobBuffer extends ByteArrayOutputStream {

        // uint: below 0x80 one byte; else the negated byte count, then big-endian bytes.
        void writeUint(long value) {
            if (value >= 0 && value < 0x80) {
                write((int) value);
                return;
            }
            int bytes = 8 - Long.numberOfLeadingZeros(value) / 8;
            write(256 - bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                write((int) (value >>> (8 * i)));
            }
        }

        // int: zig-zag into a uint, the sign in the low bit, complemented when negative.
        void writeInt(long value) {
            writeUint(value < 0 ? (~value << 1) | 1 : value << 1);
        }

        void writeString(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            writeUint(bytes.length);
            write(bytes, 0, bytes.length);
        }

        @Override
        public void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        void writeTo(ByteArrayOutputStream target) {
            target.write(buf, 0, count);
        }
    }
}
