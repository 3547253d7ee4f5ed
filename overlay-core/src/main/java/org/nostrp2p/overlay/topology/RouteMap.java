package org.nostrp2p.overlay.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.overlay.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;

/**
 * The breadth-first walk at the heart of mesh's routing ({@code Peer.routes}, peer.go): from a
 * start peer over its connections, each level visited in ascending name order, every peer
 * reached mapped to the first hop from the start that leads to it. Pure function of a
 * {@link Topology}; internal to overlay-core.
 */
final class RouteMap {

    private RouteMap() {
    }

    /**
     * @param found  whether {@code stopAt} was reached (the walk stopped there)
     * @param routes every peer reached, mapped to its first hop ({@link PeerName#UNKNOWN} for the start)
     */
    record Walk(boolean found, Map<PeerName, PeerName> routes) {
    }

    /**
     * Mesh's {@code peer.routes(stopAt, establishedAndSymmetric)}.
     *
     * @param topology                the snapshot
     * @param start                   where the walk starts
     * @param stopAt                  the peer at which to stop when it is about to be expanded, or null
     * @param establishedAndSymmetric use only links that both ends report established
     */
    static Walk walk(Topology topology, PeerName start, PeerName stopAt, boolean establishedAndSymmetric) {
        Map<PeerName, PeerName> routes = new LinkedHashMap<>();
        routes.put(start, PeerName.UNKNOWN);
        List<PeerName> next = new ArrayList<>();
        next.add(start);
        while (!next.isEmpty()) {
            List<PeerName> level = next;
            level.sort(null);
            next = new ArrayList<>();
            for (PeerName current : level) {
                if (current.equals(stopAt)) {
                    return new Walk(true, routes);
                }
                for (PeerName remote : connectedPeers(topology, current, establishedAndSymmetric, routes)) {
                    next.add(remote);
                    routes.put(remote, current.equals(start) ? remote : routes.get(current));
                }
            }
        }
        return new Walk(false, routes);
    }

    /**
     * Mesh's {@code forEachConnectedPeer}: the peers {@code name} is connected to, minus
     * {@code exclude}; with {@code establishedAndSymmetric}, only those whose own entry lists an
     * established connection back. Peers absent from the snapshot are skipped (mesh would
     * hold a placeholder for them).
     */
    static List<PeerName> connectedPeers(Topology topology, PeerName name, boolean establishedAndSymmetric,
                                         Map<PeerName, PeerName> exclude) {
        Topology.PeerView peer = topology.peer(name);
        List<PeerName> out = new ArrayList<>();
        if (peer == null) {
            return out;
        }
        for (ConnectionSummary connection : peer.connections().values()) {
            PeerName remoteName = connection.name();
            if (establishedAndSymmetric && !connection.established()) {
                continue;
            }
            if (exclude != null && exclude.containsKey(remoteName)) {
                continue;
            }
            Topology.PeerView remote = topology.peer(remoteName);
            if (remote == null) {
                continue;
            }
            if (establishedAndSymmetric) {
                ConnectionSummary back = remote.connections().get(name);
                if (back == null || !back.established()) {
                    continue;
                }
            }
            out.add(remoteName);
        }
        return out;
    }
}
