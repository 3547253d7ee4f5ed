package org.nostrp2p.overlay;

import org.nostrp2p.overlay.name.PeerName;

/**
 * A (UID, version) per peer name, in three arrays (open addressing, linear probing): what
 * {@link TopologyNews} records each neighbour has. A router keeps one per link, each holding
 * nearly every peer of the overlay; as a map of records, a 500-router benchmark JVM held 2.7
 * million objects for them, which every young collection copied. Not thread-safe.
 */
final class VersionTable {

    private static final int MIN_CAPACITY = 16;

    // name value + 1 (0: an empty slot), so that every 48-bit name, 0 included, has a key
    private long[] keys;
    private long[] uids;
    private long[] versions;
    private int size;

    VersionTable() {
        this(0);
    }

    /** @param expected how many names it will likely hold: room for them without a resize */
    VersionTable(int expected) {
        allocate(capacityFor(expected));
    }

    /** @return the slot holding {@code name}, or -1 */
    int find(PeerName name) {
        long key = name.value() + 1;
        int mask = keys.length - 1;
        for (int i = home(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    /** @return the UID at a slot {@link #find} gave */
    long uid(int slot) {
        return uids[slot];
    }

    /** @return the version at a slot {@link #find} gave */
    long version(int slot) {
        return versions[slot];
    }

    /** Records this UID and version at a slot {@link #find} gave, whatever was recorded there. */
    void set(int slot, long uid, long version) {
        uids[slot] = uid;
        versions[slot] = version;
    }

    /** Records {@code name} at this UID and version, whatever was recorded. */
    void put(PeerName name, long uid, long version) {
        int slot = find(name);
        if (slot < 0) {
            if (2 * (size + 1) > keys.length) {
                resize(2 * keys.length);
            }
            long key = name.value() + 1;
            slot = home(key);
            while (keys[slot] != 0) {
                slot = (slot + 1) & (keys.length - 1);
            }
            keys[slot] = key;
            size++;
        }
        set(slot, uid, version);
    }

    /** Forgets {@code name}, if recorded. */
    void remove(PeerName name) {
        int slot = find(name);
        if (slot < 0) {
            return;
        }
        // backward-shift deletion: entries after the hole that may sit in it move up, so a
        // probe never stops early at the hole
        int mask = keys.length - 1;
        int hole = slot;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = home(keys[j]);
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                keys[hole] = keys[j];
                uids[hole] = uids[j];
                versions[hole] = versions[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        size--;
    }

    void clear() {
        allocate(MIN_CAPACITY);
        size = 0;
    }

    // The smallest power of two that holds expected names at most half full.
    private static int capacityFor(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < 2 * (long) expected && capacity < (1 << 30)) {
            capacity <<= 1;
        }
        return capacity;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        uids = new long[capacity];
        versions = new long[capacity];
    }

    int size() {
        return size;
    }

    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(keys.length)));
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        long[] oldUids = uids;
        long[] oldVersions = versions;
        allocate(capacity);
        int mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            long key = oldKeys[i];
            if (key != 0) {
                int slot = home(key);
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                uids[slot] = oldUids[i];
                versions[slot] = oldVersions[i];
            }
        }
    }
}
