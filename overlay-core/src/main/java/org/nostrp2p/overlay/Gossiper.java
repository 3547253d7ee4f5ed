package org.nostrp2p.overlay;

/**
 * What an application plugs into a gossip channel (mesh {@code Gossiper}). The router calls
 * these methods from its own threads, one call at a time per channel; an implementation must
 * not block for long. An exception thrown closes the connection the message came on, as in
 * mesh, so throw only for input the peer should not have sent.
 */
public interface Gossiper {

    /** @return the complete state to send in periodic gossip, or {@code null} for none */
    GossipData gossip();

    /**
     * Merges a gossip message (tag 4) into the state.
     *
     * @param message the bytes a neighbour sent
     * @return what in it was new, to pass on, or {@code null} when nothing was
     */
    GossipData onGossip(byte[] message);

    /**
     * Receives a message broadcast by {@code source} (tag 6).
     *
     * @return what in it was new, or {@code null}; mesh passes the broadcast on regardless
     */
    GossipData onGossipBroadcast(PeerName source, byte[] update);

    /** Receives a message that {@code source} sent to this peer alone (tag 5). */
    void onGossipUnicast(PeerName source, byte[] message);
}
