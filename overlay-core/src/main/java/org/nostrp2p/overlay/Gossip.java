package org.nostrp2p.overlay;

import org.nostrp2p.overlay.name.PeerName;

/**
 * A gossip channel as the application sees it (mesh {@code Gossip}), returned by
 * {@link Router#newGossip}. Thread-safe; no method blocks on the network.
 */
public interface Gossip {

    /** @return the channel's name */
    String name();

    /**
     * Sends {@code message} to {@code destination} alone, relayed hop by hop (tag 5).
     *
     * @return true when a route exists and the message was handed to the next hop; false when
     *     the destination is unknown or unreachable now (the caller may try again later)
     * @throws IllegalArgumentException when the message does not fit a 10 MiB frame
     */
    boolean gossipUnicast(PeerName destination, byte[] message);

    /**
     * Sends {@code update} to every peer along this peer's broadcast tree (tag 6). A message
     * that does not fit a 10 MiB frame is dropped with a warning. Between Java peers, unless
     * {@link Router.Builder#broadcastRepair} is off, it is also announced to the neighbours the
     * tree skips, so it reaches every Java peer once even while their views of the topology
     * differ; the same bytes broadcast again within a minute are then the same message.
     */
    void gossipBroadcast(GossipData update);

    /** Sends {@code update} to a random subset of neighbours (tag 4), as periodic gossip does. */
    void gossipNeighbourSubset(GossipData update);
}
