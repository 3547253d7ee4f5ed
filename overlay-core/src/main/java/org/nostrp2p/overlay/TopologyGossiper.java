package org.nostrp2p.overlay;

import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.wire.ProtocolException;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * The gossiper of the {@code topology} channel (the {@code Gossiper} side of mesh's
 * {@code Router}): applies topology updates to the {@link LocalPeer}'s {@link Peers} and says
 * what to pass on. Called only on the local peer's actor thread.
 */
final class TopologyGossiper implements Gossiper {

    /** The channel's name on the wire. */
    static final String CHANNEL = "topology";

    private final LocalPeer localPeer;

    TopologyGossiper(LocalPeer localPeer) {
        this.localPeer = localPeer;
    }

    @Override
    public GossipData gossip() {
        return new TopologyGossipData(localPeer, localPeer.peers().names());
    }

    @Override
    public GossipData onGossip(byte[] message) {
        Peers.Applied applied = localPeer.applyTopologyUpdate(WireCodec.decodeTopology(message));
        return applied.newUpdate().isEmpty() ? null : new TopologyGossipData(localPeer, applied.newUpdate());
    }

    @Override
    public GossipData onGossipBroadcast(PeerName source, byte[] update) {
        Peers.Applied applied = localPeer.applyTopologyUpdate(WireCodec.decodeTopology(update));
        return applied.updateNames().isEmpty() ? null : new TopologyGossipData(localPeer, applied.updateNames());
    }

    @Override
    public void onGossipUnicast(PeerName source, byte[] message) {
        throw new ProtocolException("unexpected topology gossip unicast from " + source);
    }
}
