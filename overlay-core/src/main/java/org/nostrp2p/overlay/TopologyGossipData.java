package org.nostrp2p.overlay;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * Topology news to send (mesh {@code topologyGossipData}): the names of the peers concerned.
 * The bytes are made when the message is sent, from the topology as it is then, so a busy
 * connection always sends the latest state. Immutable.
 */
final class TopologyGossipData implements GossipData {

    private final LocalPeer localPeer;
    private final Set<PeerName> names;

    TopologyGossipData(LocalPeer localPeer, Set<PeerName> names) {
        this.localPeer = localPeer;
        this.names = Set.copyOf(names);
    }

    @Override
    public List<byte[]> encode() {
        return List.of(WireCodec.encodeTopology(localPeer.state().routes().topology().updates(names)));
    }

    @Override
    public GossipData merge(GossipData other) {
        Set<PeerName> merged = new HashSet<>(names);
        merged.addAll(((TopologyGossipData) other).names);
        return new TopologyGossipData(localPeer, merged);
    }
}
