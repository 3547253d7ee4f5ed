package org.nostrp2p.overlay;

import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Routes;

/**
 * What the router's actor publishes after every change, for any thread to read: the routes
 * (with the topology they were computed from) and the live connections by remote name.
 *
 * @param routes      routes and topology
 * @param connections this peer's registered connections
 * @param unreachable how many peers of the topology this peer cannot reach (over any link)
 */
record RoutingState(Routes routes, Map<PeerName, Connection> connections, int unreachable) {
    RoutingState {
        connections = Map.copyOf(connections);
    }
}
