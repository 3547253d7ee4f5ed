package org.nostrp2p.overlay.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;

/**
 * An immutable snapshot of the overlay's topology as one peer knows it: every known peer's
 * summary and its connections. {@link Peers} publishes a new one after every change; any
 * thread may read it. Internal to overlay-core, not API.
 *
 * @param self  the peer whose view this is
 * @param peers every known peer by name (placeholders included)
 */
public record Topology(PeerName self, Map<PeerName, PeerView> peers) {

    /**
     * One peer in a snapshot.
     *
     * @param summary     its summary (UID 0 for a placeholder)
     * @param connections its connections by remote name
     */
    public record PeerView(PeerSummary summary, Map<PeerName, ConnectionSummary> connections) {
        public PeerView {
            connections = connections instanceof LinkMap ? connections : Collections.unmodifiableMap(connections);
        }
    }

    public Topology {
        if (!(peers instanceof IndexedPeers)) { // which is immutable already
            peers = Collections.unmodifiableMap(peers);
        }
    }

    /** @return the entries describing the named peers that are known, for topology gossip (mesh {@code encodePeers}) */
    public List<PeerUpdate> updates(Set<PeerName> names) {
        List<PeerUpdate> out = new ArrayList<>();
        for (PeerName name : names) {
            PeerView view = peers.get(name);
            if (view != null) {
                out.add(new PeerUpdate(view.summary(), List.copyOf(view.connections().values())));
            }
        }
        return out;
    }

    /** @return the peer called {@code name}, or null */
    public PeerView peer(PeerName name) {
        return peers.get(name);
    }
}
