package org.nostrp2p.overlay.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
    private final Map<PeerName, Integer> index;
    private final int[][] anyLink;
    private final int[][] confirmedLink;

    private RouteMap(Topology topology) {
        this.topology = topology;
        Map<PeerName, Topology.PeerView> peers = topology.peers();
        names = peers.keySet().toArray(new PeerName[0]);
        Arrays.sort(names);
        index = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            index.put(names[i], i);
        }
        anyLink = new int[names.length][];
        confirmedLink = new int[names.length][];
        int[] any = new int[16];
        int[] confirmed = new int[16];
        for (int i = 0; i < names.length; i++) {
            Topology.PeerView peer = peers.get(names[i]);
            int anyCount = 0;
            int confirmedCount = 0;
            for (ConnectionSummary connection : peer.connections().values()) {
                Integer remote = index.get(connection.name());
                if (remote == null) {
                    continue; // mesh would hold a placeholder; it has no links of its own
                }
                if (anyCount == any.length) {
                    any = Arrays.copyOf(any, anyCount * 2);
                    confirmed = Arrays.copyOf(confirmed, anyCount * 2);
                }
                any[anyCount++] = remote;
                if (connection.established()) {
                    ConnectionSummary back = peers.get(connection.name()).connections().get(names[i]);
                    if (back != null && back.established()) {
                        confirmed[confirmedCount++] = remote;
                    }
                }
            }
            anyLink[i] = Arrays.copyOf(any, anyCount);
            confirmedLink[i] = Arrays.copyOf(confirmed, confirmedCount);
        }
    }

    /** @return the arrays of {@code topology}, for any number of walks */
    static RouteMap of(Topology topology) {
        return new RouteMap(topology);
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
        Integer from = index.get(start);
        if (from == null) {
            Map<PeerName, PeerName> alone = new LinkedHashMap<>();
            alone.put(start, PeerName.UNKNOWN);
            return new Walk(false, alone);
        }
        int[] hop = hops(from, stopAt == null ? -1 : index.getOrDefault(stopAt, -1), establishedAndSymmetric);
        boolean found = hop[names.length] == 1;
        return new Walk(found, toMap(hop, from));
    }

    /**
     * The neighbours of {@code self} to forward a broadcast from {@code source} to (mesh's
     * {@code routes.calculateBroadcast}): a walk from the source stopping at self; self's
     * neighbours not reached by then, in name order.
     */
    List<PeerName> broadcastHops(PeerName source, PeerName self, boolean establishedAndSymmetric) {
        Integer from = index.get(source);
        Integer me = index.get(self);
        if (from == null || me == null) {
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

    // In walk order (by distance, then name), as mesh's map is filled.
    private Map<PeerName, PeerName> toMap(int[] hop, int start) {
        Map<PeerName, PeerName> routes = new LinkedHashMap<>();
        routes.put(names[start], PeerName.UNKNOWN);
        // a second walk-order pass is not needed for lookups; name order is stable and cheap
        for (int i = 0; i < names.length; i++) {
            if (hop[i] >= 0 && i != start) {
                routes.put(names[i], names[hop[i]]);
            }
        }
        return routes;
    }

    /** @return the snapshot these arrays describe */
    Topology topology() {
        return topology;
    }
}
