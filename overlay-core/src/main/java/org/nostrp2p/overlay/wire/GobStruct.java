package org.nostrp2p.overlay.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A struct value read by {@link GobDecoder}: its fields by name, as gob matches them. A field
 * the sender omitted holds its zero value; a field of a type that is not a gob built-in is
 * skipped on reading and only its type is remembered, so asking for it as a built-in fails
 * with a clear message. Immutable once read; not for sharing across threads while read.
 */
final class GobStruct {

    private record FieldValue(String type, Object value) {
    }

    private final String typeName;
    private final Map<String, FieldValue> fields = new LinkedHashMap<>();

    GobStruct(String typeName) {
        this.typeName = typeName;
    }

    void put(String field, String type, Object value) {
        fields.put(field, new FieldValue(type, value));
    }

    /** @return the named {@code []byte} field, empty when omitted */
    byte[] bytes(String field) {
        Object v = get(field, "[]byte");
        return v == null ? new byte[0] : (byte[]) v;
    }

    /** @return the named string field, empty when omitted */
    String string(String field) {
        Object v = get(field, "string");
        return v == null ? "" : (String) v;
    }

    /** @return the named uint field's unsigned bits, 0 when omitted */
    long uint(String field) {
        Object v = get(field, "uint");
        return v == null ? 0 : (Long) v;
    }

    /** @return the named bool field, false when omitted */
    boolean bool(String field) {
        Object v = get(field, "bool");
        return v != null && (Boolean) v;
    }

    private Object get(String field, String expectedType) {
        FieldValue f = fields.get(field);
        if (f == null) {
            return null;
        }
        if (!f.type().equals(expectedType)) {
            throw new GobDecodingException("field " + field + " of " + typeName + ": expected gob "
                    + expectedType + ", got " + f.type());
        }
        return f.value();
    }

    @Override
    public String toString() {
        return typeName + fields;
    }
}
