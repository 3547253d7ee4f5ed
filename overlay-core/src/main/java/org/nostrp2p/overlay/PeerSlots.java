package org.nostrp2p.overlay;

import java.util.Arrays;
import java.util.BitSet;
import org.nostrp2p.overlay.name.PeerName;

/**
 * One router's numbering of peer names for the {@link VersionTable}s of all its links: each
 * name a table records gets a slot, the same in every table, held while any table records the
 * name and then freed for another. The tables are then two columns indexed by slot, and a name
 * is hashed once for all links, not once per link: as one hash table per link (names, UIDs and
 * versions, kept at most half full) the tables were a third of a 500-router benchmark's heap.
 * Not thread-safe: confined to the router's actor, as its tables are.
 */
final class PeerSlots {

    private static final int MIN_CAPACITY = 16;

    // open addressing, linear probing: name value + 1 (0: an empty position), and its slot
    private long[] keys = new long[MIN_CAPACITY];
    private int[] slotAt = new int[MIN_CAPACITY];
    // by slot: the key holding it, and how many tables record that name
    private long[] keyOf = new long[MIN_CAPACITY];
    private int[] holders = new int[MIN_CAPACITY];
    // slots below span that no name holds; the lowest is given first, so slots stay few and
    // dense, and span falls back once the highest are freed (after a flood of invented names,
    // a new link's table is sized for the names held, not for the flood)
    private final BitSet free = new BitSet();
    private int span;
    private int size;

    /** @return the slot of {@code name}, or -1 when no table records it */
    int slotOf(PeerName name) {
        int at = position(name.value() + 1);
        return at < 0 ? -1 : slotAt[at];
    }

    /** A table records {@code name}: @return its slot, given now if no table had it */
    int hold(PeerName name) {
        long key = name.value() + 1;
        int at = position(key);
        if (at >= 0) {
            holders[slotAt[at]]++;
            return slotAt[at];
        }
        if (2 * (size + 1) > keys.length) {
            rehash(2 * keys.length);
        }
        int slot = free.nextSetBit(0);
        if (slot < 0) {
            slot = span++;
        } else {
            free.clear(slot);
        }
        if (slot >= holders.length) {
            holders = Arrays.copyOf(holders, 2 * holders.length);
            keyOf = Arrays.copyOf(keyOf, holders.length);
        }
        holders[slot] = 1;
        keyOf[slot] = key;
        insert(key, slot);
        size++;
        return slot;
    }

    /** A table no longer records the name it held at {@code slot}; the last one frees the slot. */
    void release(int slot) {
        if (--holders[slot] > 0) {
            return;
        }
        delete(keyOf[slot]);
        size--;
        free.set(slot);
        while (span > 0 && free.get(span - 1)) {
            free.clear(--span);
        }
    }

    /** @return one more than the highest slot held: the length a table's columns need now */
    int span() {
        return span;
    }

    /** @return how many names some table records */
    int size() {
        return size;
    }

    // The position of key in keys, or -1.
    private int position(long key) {
        int mask = keys.length - 1;
        for (int i = home(key, keys.length); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    private void insert(long key, int slot) {
        int mask = keys.length - 1;
        int i = home(key, keys.length);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        slotAt[i] = slot;
    }

    // Backward-shift deletion: entries after the hole that may sit in it move up, so that a
    // probe never stops early at the hole.
    private void delete(long key) {
        int hole = position(key);
        int mask = keys.length - 1;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = home(keys[j], keys.length);
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                keys[hole] = keys[j];
                slotAt[hole] = slotAt[j];
                hole = j;
            }
        }
        keys[hole] = 0;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldSlots = slotAt;
        keys = new long[capacity];
        slotAt = new int[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(oldKeys[i], oldSlots[i]);
            }
        }
    }

    private static int home(long key, int capacity) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(capacity)));
    }
}
