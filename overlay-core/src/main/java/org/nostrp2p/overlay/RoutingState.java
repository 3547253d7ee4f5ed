package org.nostrp2p.overlay;

import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Routes;

/**
 * What the router's actor publishes after each change of its links and once per burst of
 * topology messages, for any thread to read: the routes (with the topology they were computed
 * from), the live connections by remote name, and how many known peers are out of reach.
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
