package org.nostrp2p.overlay.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;

/**
 * The breadth-first walk at the heart of mesh's routing ({@code Peer.routes}, peer.go): from a
 * start peer over its connections, each level visited in ascending name order, every peer
 * reached mapped to the first hop from the start that leads to it.
 *
 * <p>A {@link Topology} snapshot is turned once into arrays ({@link #of}): peers numbered in
 * name order, so sorting a level is sorting ints, and each peer's neighbours as index arrays,
 * over any link and over links both ends report established. Walks then touch no hash map.
 * Immutable once built; internal to overlay-core.
 */
final class RouteMap {

    private final Topology topology;
    private final PeerName[] names;
    private final NameIndex index;
    private final Topology.PeerView[] views;
    private final int[][] anyLink;
    // the peers each one reports an established connection to, ascending, for binary search
    private final int[][] establishedLink;
    private final int[][] confirmedLink;
    // whether every connection of the peer named a peer of this map (none was skipped)
    private final boolean[] complete;

    // Beyond a rebuild per snapshot: most snapshots differ from the one before in a few peers'
    // entries, and a peer's entry is the same PeerView object until it changes. With the same
    // set of names as {@code previous}, the numbering is kept and only changed peers' links
    // are looked up again; a confirmed link is re-checked only where either end changed.
    private RouteMap(Topology topology, RouteMap previous) {
        this.topology = topology;
        Map<PeerName, Topology.PeerView> peers = topology.peers();
        Topology.PeerView[] sameNames;
        if (peers instanceof IndexedPeers indexed) {
            // a snapshot of Peers: numbered already, the numbering shared while the names stay
            sameNames = previous != null && previous.index == indexed.index ? indexed.views : null;
            index = indexed.index;
            names = index.names();
            views = indexed.views;
        } else {
            sameNames = previous == null ? null : previous.viewsOfSameNames(peers);
            if (sameNames != null) {
                names = previous.names;
                index = previous.index;
                views = sameNames;
            } else {
                index = NameIndex.of(peers.keySet().toArray(new PeerName[0]));
                names = index.names();
                views = new Topology.PeerView[names.length];
                for (int i = 0; i < names.length; i++) {
                    views[i] = peers.get(names[i]);
                }
            }
        }
        int n = names.length;
        anyLink = new int[n][];
        establishedLink = new int[n][];
        confirmedLink = new int[n][];
        complete = new boolean[n];
        boolean[] changed = new boolean[n];
        // With other names (peers learnt or forgotten: while hundreds join, most snapshots),
        // an unchanged peer's links are renumbered from the previous arrays, not looked up
        // again: both name arrays are sorted, so one merge pairs the old and new numbers.
        int[] oldOf = null;
        int[] newOf = null;
        if (sameNames == null && previous != null) {
            oldOf = new int[n];
            newOf = new int[previous.names.length];
            Arrays.fill(oldOf, -1);
            Arrays.fill(newOf, -1);
            for (int a = 0, b = 0; a < newOf.length && b < n; ) {
                int order = previous.names[a].compareTo(names[b]);
                if (order == 0) {
                    newOf[a++] = b;
                    oldOf[b++] = a - 1;
                } else if (order < 0) {
                    a++;
                } else {
                    b++;
                }
            }
        }
        int[] any = new int[16];
        int[] established = new int[16];
        for (int i = 0; i < n; i++) {
            if (sameNames != null && previous.views[i] == views[i]) {
                anyLink[i] = previous.anyLink[i];
                establishedLink[i] = previous.establishedLink[i];
                complete[i] = previous.complete[i];
                continue;
            }
            changed[i] = true;
            int old = oldOf == null ? -1 : oldOf[i];
            if (old >= 0 && previous.views[old] == views[i] && previous.complete[old]) {
                anyLink[i] = renumber(previous.anyLink[old], newOf);
                establishedLink[i] = renumber(previous.establishedLink[old], newOf); // still ascending
                complete[i] = anyLink[i].length == previous.anyLink[old].length;
                continue;
            }
            int anyCount = 0;
            int establishedCount = 0;
            boolean all = true;
            for (ConnectionSummary connection : views[i].connections().values()) {
                int remote = index.indexOf(connection.name());
                if (remote < 0) {
                    all = false;
                    continue; // mesh would hold a placeholder; it has no links of its own
                }
                if (anyCount == any.length) {
                    any = Arrays.copyOf(any, anyCount * 2);
                    established = Arrays.copyOf(established, anyCount * 2);
                }
                any[anyCount++] = remote;
                if (connection.established()) {
                    established[establishedCount++] = remote;
                }
            }
            anyLink[i] = Arrays.copyOf(any, anyCount);
            establishedLink[i] = Arrays.copyOf(established, establishedCount);
            Arrays.sort(establishedLink[i]);
            complete[i] = all;
        }
        int[] confirmed = new int[16];
        for (int i = 0; i < n; i++) {
            if (sameNames != null && !changed[i] && !anyChanged(establishedLink[i], changed)) {
                confirmedLink[i] = previous.confirmedLink[i];
                continue;
            }
            int count = 0;
            for (int remote : establishedLink[i]) {
                if (Arrays.binarySearch(establishedLink[remote], i) >= 0) {
                    if (count == confirmed.length) {
                        confirmed = Arrays.copyOf(confirmed, count * 2);
                    }
                    confirmed[count++] = remote;
                }
            }
            confirmedLink[i] = Arrays.copyOf(confirmed, count);
        }
    }

    // Old numbers to new ones, dropping peers no longer in the map; the order is kept.
    private static int[] renumber(int[] links, int[] newOf) {
        int[] out = new int[links.length];
        int count = 0;
        for (int link : links) {
            int renumbered = newOf[link];
            if (renumbered >= 0) {
                out[count++] = renumbered;
            }
        }
        return count == out.length ? out : Arrays.copyOf(out, count);
    }

    private static boolean anyChanged(int[] peers, boolean[] changed) {
        for (int p : peers) {
            if (changed[p]) {
                return true;
            }
        }
        return false;
    }

    // The views of this map's names in {@code peers}, in this map's order; null when the
    // set of names differs.
    private Topology.PeerView[] viewsOfSameNames(Map<PeerName, Topology.PeerView> peers) {
        if (peers.size() != names.length) {
            return null;
        }
        Topology.PeerView[] out = new Topology.PeerView[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = peers.get(names[i]);
            if (out[i] == null) {
                return null;
            }
        }
        return out;
    }

    /** @return the arrays of {@code topology}, for any number of walks */
    static RouteMap of(Topology topology) {
        return new RouteMap(topology, null);
    }

    /**
     * The arrays of successive snapshots of one peer's topology, each built from the one
     * before (see the constructor). Any thread: the last map is only a starting point, and
     * any map is a valid one.
     */
    static final class Cache {
        private volatile RouteMap last;

        /** @return the arrays of {@code topology} */
        RouteMap of(Topology topology) {
            RouteMap previous = last;
            if (previous != null && previous.topology == topology) {
                return previous;
            }
            RouteMap map = new RouteMap(topology, previous);
            last = map;
            return map;
        }
    }

    /**
     * @param found  whether {@code stopAt} was reached (the walk stopped there)
     * @param routes every peer reached, mapped to its first hop ({@link PeerName#UNKNOWN} for the start)
     */
    record Walk(boolean found, Map<PeerName, PeerName> routes) {
    }

    /** One walk over a snapshot: see {@link #walk(PeerName, PeerName, boolean)}. */
    static Walk walk(Topology topology, PeerName start, PeerName stopAt, boolean establishedAndSymmetric) {
        return of(topology).walk(start, stopAt, establishedAndSymmetric);
    }

    /**
     * Mesh's {@code peer.routes(stopAt, establishedAndSymmetric)}.
     *
     * @param start                   where the walk starts
     * @param stopAt                  the peer at which to stop when it is about to be expanded, or null
     * @param establishedAndSymmetric use only links that both ends report established
     */
    Walk walk(PeerName start, PeerName stopAt, boolean establishedAndSymmetric) {
        int from = index.indexOf(start);
        if (from < 0) {
            Map<PeerName, PeerName> alone = new LinkedHashMap<>();
            alone.put(start, PeerName.UNKNOWN);
            return new Walk(false, alone);
        }
        int[] hop = hops(from, stopAt == null ? -1 : index.indexOf(stopAt), establishedAndSymmetric);
        boolean found = hop[names.length] == 1;
        return new Walk(found, toMap(hop, from));
    }

    /**
     * The neighbours of {@code self} to forward a broadcast from {@code source} to (mesh's
     * {@code routes.calculateBroadcast}): a walk from the source stopping at self; self's
     * neighbours not reached by then, in name order.
     */
    List<PeerName> broadcastHops(PeerName source, PeerName self, boolean establishedAndSymmetric) {
        int from = index.indexOf(source);
        int me = index.indexOf(self);
        if (from < 0 || me < 0) {
            return List.of();
        }
        int[] hop = hops(from, me, establishedAndSymmetric);
        if (hop[names.length] != 1) {
            return List.of();
        }
        int[] neighbours = (establishedAndSymmetric ? confirmedLink : anyLink)[me].clone();
        Arrays.sort(neighbours);
        List<PeerName> out = new ArrayList<>();
        for (int n : neighbours) {
            if (hop[n] < 0) {
                out.add(names[n]);
            }
        }
        return List.copyOf(out);
    }

    // hop[i]: index of the first hop towards i, -1 unreached, start maps to itself; the extra
    // last slot is 1 when the walk stopped at stopAt.
    private int[] hops(int start, int stopAt, boolean establishedAndSymmetric) {
        int[][] links = establishedAndSymmetric ? confirmedLink : anyLink;
        int[] hop = new int[names.length + 1];
        Arrays.fill(hop, 0, names.length, -1);
        hop[start] = start;
        int[] level = {start};
        int levelSize = 1;
        int[] next = new int[16];
        while (levelSize > 0) {
            Arrays.sort(level, 0, levelSize);
            int nextSize = 0;
            for (int l = 0; l < levelSize; l++) {
                int current = level[l];
                if (current == stopAt) {
                    hop[names.length] = 1;
                    return hop;
                }
                for (int remote : links[current]) {
                    if (hop[remote] >= 0) {
                        continue;
                    }
                    hop[remote] = current == start ? remote : hop[current];
                    if (nextSize == next.length) {
                        next = Arrays.copyOf(next, nextSize * 2);
                    }
                    next[nextSize++] = remote;
                }
            }
            int[] swap = level;
            level = next;
            levelSize = nextSize;
            next = swap.length >= 16 ? swap : new int[16];
        }
        return hop;
    }

    // The walk's routes as an immutable map over its hop array (the start, then name order), without copying
    // them into a hash map: a table of 500 routes is asked a few questions and then replaced.
    private Map<PeerName, PeerName> toMap(int[] hop, int start) {
        return new HopTable(names, index, hop, start);
    }

    /** Every peer a walk reached, mapped to its first hop ({@link PeerName#UNKNOWN} for the start). */
    private static final class HopTable extends java.util.AbstractMap<PeerName, PeerName> {
        private final PeerName[] names;
        private final NameIndex index;
        private final int[] hop;
        private final int start;
        private final int size;

        HopTable(PeerName[] names, NameIndex index, int[] hop, int start) {
            this.names = names;
            this.index = index;
            this.hop = hop;
            this.start = start;
            int reached = 0;
            for (int i = 0; i < names.length; i++) {
                if (hop[i] >= 0) {
                    reached++;
                }
            }
            this.size = reached;
        }

        private PeerName at(int i) {
            return i == start ? PeerName.UNKNOWN : names[hop[i]];
        }

        @Override
        public PeerName get(Object name) {
            int i = index.indexOf(name);
            return i < 0 || hop[i] < 0 ? null : at(i);
        }

        @Override
        public boolean containsKey(Object name) {
            int i = index.indexOf(name);
            return i >= 0 && hop[i] >= 0;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public java.util.Set<Map.Entry<PeerName, PeerName>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Map.Entry<PeerName, PeerName>> iterator() {
                    // the start first, then the others in name order (as the table was filled before)
                    return new java.util.Iterator<>() {
                        private boolean startDone;
                        private int next = advance(0);

                        private int advance(int from) {
                            while (from < names.length && (hop[from] < 0 || from == start)) {
                                from++;
                            }
                            return from;
                        }

                        @Override
                        public boolean hasNext() {
                            return !startDone || next < names.length;
                        }

                        @Override
                        public Map.Entry<PeerName, PeerName> next() {
                            int i;
                            if (!startDone) {
                                startDone = true;
                                i = start;
                            } else if (next < names.length) {
                                i = next;
                                next = advance(i + 1);
                            } else {
                                throw new java.util.NoSuchElementException();
                            }
                            return new java.util.AbstractMap.SimpleImmutableEntry<>(names[i], at(i));
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }

    /** @return the snapshot these arrays describe */
    Topology topology() {
        return topology;
    }
}
