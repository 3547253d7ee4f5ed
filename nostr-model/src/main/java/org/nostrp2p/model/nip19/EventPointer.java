package org.nostrp2p.model.nip19;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nostrp2p.model.Hex;

/**
 * What a NIP-19 {@code nevent} names: an event id, relays where it may be found, and
 * optionally its author and kind. Immutable; byte arrays are copied in and out.
 *
 * @param id     the 32-byte event id
 * @param relays relay URLs, possibly empty; never {@code null}
 * @param author the author's 32-byte public key, or {@code null} when not given
 * @param kind   the event kind, or {@code null} when not given
 */
public record EventPointer(byte[] id, List<String> relays, byte[] author, Long kind) {
    public EventPointer {
        Objects.requireNonNull(id, "id");
        if (id.length != 32) {
            throw new IllegalArgumentException("nevent: event id must be 32 bytes, got " + id.length);
        }
        if (author != null && author.length != 32) {
            throw new IllegalArgumentException("nevent: author must be 32 bytes, got " + author.length);
        }
        if (kind != null && (kind < 0 || kind > 0xffffffffL)) {
            throw new IllegalArgumentException("nevent: kind must be a 32-bit unsigned integer, got " + kind);
        }
        id = id.clone();
        author = author == null ? null : author.clone();
        relays = relays == null ? List.of() : List.copyOf(relays);
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public byte[] author() {
        return author == null ? null : author.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventPointer p && Arrays.equals(id, p.id) && relays.equals(p.relays)
                && Arrays.equals(author, p.author) && Objects.equals(kind, p.kind);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id) * 31 + relays.hashCode();
    }

    @Override
    public String toString() {
        return "EventPointer[id=" + Hex.encode(id) + ", relays=" + relays
                + ", author=" + (author == null ? null : Hex.encode(author)) + ", kind=" + kind + "]";
    }
}
