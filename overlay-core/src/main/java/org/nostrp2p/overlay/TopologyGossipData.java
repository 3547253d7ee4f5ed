package org.nostrp2p.overlay;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nostrp2p.overlay.topology.Topology;
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

    // The same data usually goes down several connections at once: encode it once per
    // topology snapshot. Event loops of several connections may race here; the worst case is
    // encoding twice.
    private volatile Encoded encoded;

    private record Encoded(Topology topology, List<byte[]> messages) {
    }

    @Override
    public List<byte[]> encode() {
        Topology topology = localPeer.state().routes().topology();
        Encoded last = encoded;
        if (last != null && last.topology == topology) {
            return last.messages;
        }
        List<byte[]> messages = List.of(WireCodec.encodeTopology(topology.updates(names)));
        encoded = new Encoded(topology, messages);
        return messages;
    }

    @Override
    public GossipData merge(GossipData other) {
        Set<PeerName> merged = new HashSet<>(names);
        merged.addAll(((TopologyGossipData) other).names);
        return new TopologyGossipData(localPeer, merged);
    }
}
