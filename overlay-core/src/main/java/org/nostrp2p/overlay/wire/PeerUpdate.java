package org.nostrp2p.overlay.wire;

import java.util.List;

/**
 * One peer's entry in a topology gossip message: its summary and its connections. A
 * topology message is a sequence of these (mesh {@code Peers.encodePeers}).
 *
 * @param peer        the peer
 * @param connections its connections, possibly empty, never {@code null}
 */
public record PeerUpdate(PeerSummary peer, List<ConnectionSummary> connections) {
    public PeerUpdate {
        connections = List.copyOf(connections);
    }
}
