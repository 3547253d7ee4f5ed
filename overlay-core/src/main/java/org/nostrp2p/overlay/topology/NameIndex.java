package org.nostrp2p.overlay.topology;

import java.util.Arrays;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Peer names in ascending order, each numbered by its position: the numbering that a
 * {@link Topology} snapshot of {@link Peers} and the {@link RouteMap} built from it share.
 * A name's number is found by binary search over the names' values, so a numbering costs one
 * sorted array, not a hash map of boxed numbers: {@link Peers} renumbers whenever a peer is
 * learnt or forgotten (while hundreds join, most snapshots), and sorting all names and
 * building that map each time was a twentieth of a 500-router join's CPU. Immutable.
 */
final class NameIndex {

    /** No names. */
    static final NameIndex EMPTY = new NameIndex(new PeerName[0]);

    private final PeerName[] names;
    // names[i].value(), for a search that reads one array of longs
    private final long[] values;

    private NameIndex(PeerName[] sorted) {
        this.names = sorted;
        this.values = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            values[i] = sorted[i].value();
            if (i > 0 && values[i] <= values[i - 1]) {
                throw new IllegalArgumentException("names not in strictly ascending order at " + i + ": "
                        + sorted[i - 1] + ", " + sorted[i]);
            }
        }
    }

    /** @return the index of {@code names}, in any order and without repeats (copied, then sorted) */
    static NameIndex of(PeerName[] names) {
        PeerName[] sorted = names.clone();
        Arrays.sort(sorted);
        return new NameIndex(sorted);
    }

    /**
     * @param sorted names in strictly ascending order, which the index keeps (not copied)
     * @return their index
     * @throws IllegalArgumentException when they are not in strictly ascending order
     */
    static NameIndex ofSorted(PeerName[] sorted) {
        return new NameIndex(sorted);
    }

    /** @return the number of {@code name}, or -1 when it is not one of these names (or not a name) */
    int indexOf(Object name) {
        if (!(name instanceof PeerName peer)) {
            return -1;
        }
        int i = Arrays.binarySearch(values, peer.value());
        return i >= 0 ? i : -1;
    }

    /** @return the names in ascending order: this index's own array, which nobody modifies */
    PeerName[] names() {
        return names;
    }

    /** @return the name numbered {@code i} */
    PeerName name(int i) {
        return names[i];
    }

    /** @return how many names */
    int size() {
        return names.length;
    }
}
