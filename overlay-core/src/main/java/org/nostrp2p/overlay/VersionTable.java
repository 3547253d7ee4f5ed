package org.nostrp2p.overlay;

import java.util.Arrays;
import org.nostrp2p.overlay.name.PeerName;

/**
 * A (UID, version) per peer name: what {@link TopologyNews} records one neighbour has. A router
 * keeps one per link, each holding nearly every peer of the overlay, so the tables of one
 * router share the numbering of names ({@link PeerSlots}) and each is two columns indexed by
 * slot: 16 bytes a name, where a hash table of its own, at most half full, took 48. (As a map
 * of records, a 500-router benchmark JVM once held 2.7 million objects for them.) A table that
 * is dropped must be {@linkplain #clear cleared} first, so that the slots it held are freed.
 * A table records at most a set number of names: past it, a name not recorded stays so (the
 * record is what a neighbour is known to have; a name missing from it is sent again, which
 * costs bytes, never news), so a neighbour announcing invented names cannot grow it without
 * bound. Not thread-safe.
 */
final class VersionTable {

    private static final int MIN_CAPACITY = 16;

    private final PeerSlots slots;
    private final int limit;
    // by slot: the UID at 2 * slot, the version at 2 * slot + 1
    private long[] entries;
    // by slot: whether this table records the name holding it (a bit each)
    private long[] recorded;
    private int size;

    VersionTable(PeerSlots slots) {
        this(slots, 0, Integer.MAX_VALUE);
    }

    /**
     * @param slots    the numbering of names this router's tables share
     * @param expected how many names it will likely hold: room for them without growing
     * @param limit    the most names it records
     */
    VersionTable(PeerSlots slots, int expected, int limit) {
        this.slots = slots;
        this.limit = limit;
        allocate(Math.max(MIN_CAPACITY, Math.max(expected, slots.span())));
    }

    /** @return the slot holding {@code name}, or -1 */
    int find(PeerName name) {
        int slot = slots.slotOf(name);
        return slot >= 0 && slot < capacity() && (recorded[slot >>> 6] & (1L << slot)) != 0 ? slot : -1;
    }

    /** @return the UID at a slot {@link #find} gave */
    long uid(int slot) {
        return entries[2 * slot];
    }

    /** @return the version at a slot {@link #find} gave */
    long version(int slot) {
        return entries[2 * slot + 1];
    }

    /** Records this UID and version at a slot {@link #find} gave, whatever was recorded there. */
    void set(int slot, long uid, long version) {
        entries[2 * slot] = uid;
        entries[2 * slot + 1] = version;
    }

    /**
     * Records {@code name} at this UID and version, whatever was recorded; a name not recorded
     * is not, once the table holds its limit.
     */
    void put(PeerName name, long uid, long version) {
        int slot = find(name);
        if (slot < 0) {
            if (size >= limit) {
                return;
            }
            slot = slots.hold(name);
            if (slot >= capacity()) {
                grow(Math.max(2 * capacity(), slots.span()));
            }
            recorded[slot >>> 6] |= 1L << slot;
            size++;
        }
        set(slot, uid, version);
    }

    /** Forgets {@code name}, if recorded. */
    void remove(PeerName name) {
        int slot = find(name);
        if (slot >= 0) {
            forget(slot);
        }
    }

    /** Forgets every name, freeing the slots no other table holds. */
    void clear() {
        for (int word = 0; word < recorded.length && size > 0; word++) {
            while (recorded[word] != 0) {
                forget(64 * word + Long.numberOfTrailingZeros(recorded[word]));
            }
        }
    }

    int size() {
        return size;
    }

    private void forget(int slot) {
        recorded[slot >>> 6] &= ~(1L << slot);
        size--;
        slots.release(slot);
    }

    private int capacity() {
        return entries.length / 2;
    }

    private void allocate(int capacity) {
        entries = new long[2 * capacity];
        recorded = new long[(capacity + 63) / 64];
    }

    private void grow(int capacity) {
        entries = Arrays.copyOf(entries, 2 * capacity);
        recorded = Arrays.copyOf(recorded, (capacity + 63) / 64);
    }
}
