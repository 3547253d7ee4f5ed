package org.nostrp2p.overlay.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Unicast next hops and broadcast trees computed from one {@link Topology} snapshot, exactly as
 * mesh's routes.go computes them. Immutable apart from a cache of broadcast trees, which are
 * computed per source on first use; safe for any thread. Internal to overlay-core.
 *
 * <ul>
 *   <li>{@link #unicast}: next hops over links established and confirmed from both ends;</li>
 *   <li>{@link #unicastAll}: next hops over any link either end reports (what mesh relays on);</li>
 *   <li>{@link #broadcastAll}: the neighbours to which to forward a broadcast that
 *       originated at a source: a breadth-first walk from the source over every connection,
 *       each level sorted by name, stopping at this peer; the neighbours not yet reached.</li>
 * </ul>
 */
public final class Routes {

    private final Topology topology;
    // Computed on first use: the router publishes a new Routes after every topology change,
    // and most are superseded before anyone asks for a route (mesh 2019 debounces instead).
    private volatile Map<PeerName, PeerName> unicast;
    private volatile Map<PeerName, PeerName> unicastAll;
    private final Map<PeerName, List<PeerName>> broadcast = new ConcurrentHashMap<>();
    private final Map<PeerName, List<PeerName>> broadcastAll = new ConcurrentHashMap<>();

    private final Runnable onCompute;
    private volatile RouteMap routeMap;

    private final RouteMap.Cache cache;

    private RouteMap routeMap() {
        RouteMap map = routeMap;
        if (map == null) {
            map = cache == null ? RouteMap.of(topology) : cache.of(topology);
            routeMap = map;
        }
        return map;
    }

    private Routes(Topology topology, Runnable onCompute, RouteMap.Cache cache) {
        this.topology = topology;
        this.onCompute = onCompute;
        this.cache = cache;
    }

    private Map<PeerName, PeerName> unicastMap() {
        Map<PeerName, PeerName> table = unicast;
        if (table == null) {
            onCompute.run();
            table = Collections.unmodifiableMap(routeMap().walk(topology.self(), null, true).routes());
            unicast = table;
        }
        return table;
    }

    private Map<PeerName, PeerName> unicastAllMap() {
        Map<PeerName, PeerName> table = unicastAll;
        if (table == null) {
            onCompute.run();
            table = Collections.unmodifiableMap(routeMap().walk(topology.self(), null, false).routes());
            unicastAll = table;
        }
        return table;
    }

    /** @return the routes of {@code topology}, seen from its {@link Topology#self()} */
    public static Routes of(Topology topology) {
        return new Routes(topology, () -> { }, null);
    }

    /**
     * @param onCompute called each time a route table is computed from the snapshot (a counter)
     * @return the routes of {@code topology}, seen from its {@link Topology#self()}
     */
    public static Routes of(Topology topology, Runnable onCompute) {
        return new Routes(topology, onCompute, null);
    }

    // Successive snapshots of one Peers: see Peers#routes.
    static Routes of(Topology topology, Runnable onCompute, RouteMap.Cache cache) {
        return new Routes(topology, onCompute, cache);
    }

    /** @return the snapshot these routes were computed from */
    public Topology topology() {
        return topology;
    }

    /** @return the next hop towards {@code destination} over confirmed links; empty when unreachable or self */
    public Optional<PeerName> unicast(PeerName destination) {
        return hop(unicastMap(), destination);
    }

    /** @return the next hop towards {@code destination} over any link; empty when unreachable or self */
    public Optional<PeerName> unicastAll(PeerName destination) {
        return hop(unicastAllMap(), destination);
    }

    /** @return every peer reachable over confirmed links, with its next hop (self maps to {@link PeerName#UNKNOWN}) */
    public Map<PeerName, PeerName> unicastTable() {
        return unicastMap();
    }

    /** @return every peer reachable over any link, with its next hop (self maps to {@link PeerName#UNKNOWN}) */
    public Map<PeerName, PeerName> unicastAllTable() {
        return unicastAllMap();
    }

    /** @return the neighbours to forward a broadcast from {@code source} to, over confirmed links (mesh {@code Broadcast}) */
    public List<PeerName> broadcast(PeerName source) {
        return broadcast.computeIfAbsent(source, s -> calculateBroadcast(s, true));
    }

    /** @return the neighbours to forward a broadcast from {@code source} to, over any link (mesh {@code BroadcastAll}) */
    public List<PeerName> broadcastAll(PeerName source) {
        return broadcastAll.computeIfAbsent(source, s -> calculateBroadcast(s, false));
    }

    /**
     * Mesh's {@code randomNeighbours(except)}: up to ⌊log2(reachable peers)⌋ distinct next hops, in
     * random order, none equal to {@code except}.
     */
    public List<PeerName> randomNeighbours(PeerName except) {
        Map<PeerName, PeerName> table = unicastAllMap();
        int count = (int) Math.floor(Math.log(table.size()) / Math.log(2));
        List<PeerName> hops = new ArrayList<>(new java.util.LinkedHashSet<>(table.values()));
        hops.remove(PeerName.UNKNOWN);
        hops.remove(except);
        Collections.shuffle(hops, ThreadLocalRandom.current());
        return List.copyOf(hops.subList(0, Math.min(count, hops.size())));
    }

    private List<PeerName> calculateBroadcast(PeerName source, boolean establishedAndSymmetric) {
        if (topology.peer(source) == null) {
            return List.of();
        }
        return routeMap().broadcastHops(source, topology.self(), establishedAndSymmetric);
    }

    private static Optional<PeerName> hop(Map<PeerName, PeerName> table, PeerName destination) {
        PeerName hop = table.get(destination);
        return hop == null || hop.equals(PeerName.UNKNOWN) ? Optional.empty() : Optional.of(hop);
    }
}
