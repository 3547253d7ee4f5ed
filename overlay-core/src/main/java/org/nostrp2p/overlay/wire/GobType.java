package org.nostrp2p.overlay.wire;

import java.util.List;

/**
 * A type as gob describes it to an encoder: one of gob's built-in types, or a struct, slice
 * or map whose definition the encoder sends once per stream (encoding/gob {@code wireType}).
 * Only the shapes mesh sends are modelled. Immutable.
 */
sealed interface GobType {

    /** A type gob never defines in the stream; its id is fixed (encoding/gob type.go). */
    enum Builtin implements GobType {
        BOOL(1), INT(2), UINT(3), FLOAT(4), BYTES(5), STRING(6), COMPLEX(7), INTERFACE(8);

        final int id;

        Builtin(int id) {
            this.id = id;
        }
    }

    /**
     * A struct; the encoder omits fields holding their zero value, as Go does.
     *
     * @param name   the Go type name written in the definition (e.g. {@code peerSummary})
     * @param fields the exported fields in declaration order
     */
    record Struct(String name, List<Field> fields) implements GobType {
        public Struct {
            fields = List.copyOf(fields);
        }
    }

    /**
     * One field of a {@link Struct}.
     *
     * @param name the Go field name, matched by name on decoding
     * @param type its type
     */
    record Field(String name, GobType type) {
    }

    /**
     * A slice of anything but bytes ({@code []byte} is {@link Builtin#BYTES}).
     *
     * @param elem the element type
     */
    record Slice(GobType elem) implements GobType {
    }

    /**
     * A map.
     *
     * @param key  the key type
     * @param elem the value type
     */
    record MapOf(GobType key, GobType elem) implements GobType {
    }
}
