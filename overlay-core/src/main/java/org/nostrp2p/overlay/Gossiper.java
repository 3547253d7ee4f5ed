package org.nostrp2p.overlay;

import org.nostrp2p.overlay.name.PeerName;

/**
 * What an application plugs into a gossip channel (mesh {@code Gossiper}). The router calls
 * these methods from its own threads, one call at a time per channel; an implementation must
 * not block for long. An exception thrown closes the connection the message came on, as in
 * mesh, so throw only for input the peer should not have sent.
 *
 * <p>Every method has a default, so an implementation writes only what it uses: no periodic
 * state, nothing new from gossip, broadcasts relayed as they came, unicasts ignored.
 *
 * <p><b>Buffers.</b> A {@code byte[]} handed to these methods belongs to the application from
 * then on: the router made it for this call alone and never reads or writes it again, so it
 * may be kept without copying. A {@link GossipData} returned is the router's until it has been
 * sent (see {@link GossipData}).
 */
public interface Gossiper {

    /** @return the complete state to send in periodic gossip, or {@code null} for none (the default) */
    default GossipData gossip() {
        return null;
    }

    /**
     * Merges a gossip message (tag 4) into the state.
     *
     * @param message the bytes a neighbour sent
     * @return what in it was new, to pass on, or {@code null} when nothing was (the default)
     */
    default GossipData onGossip(byte[] message) {
        return null;
    }

    /**
     * Receives a message broadcast by {@code source} (tag 6).
     *
     * @return what to relay down the source's broadcast tree, or {@code null} to stop it here;
     *     the default relays the message as it came, as mesh's peers do
     */
    default GossipData onGossipBroadcast(PeerName source, byte[] update) {
        return GossipData.ofMessages(update);
    }

    /** Receives a message that {@code source} sent to this peer alone (tag 5); the default ignores it. */
    default void onGossipUnicast(PeerName source, byte[] message) {
    }

    /**
     * Receives a broadcast as {@link #onGossipBroadcast(PeerName, byte[])} does, naming also the
     * neighbour it arrived from. {@code source} is what the frame says, and any peer that relays
     * a broadcast can write any source there; {@code neighbour} is the peer at the other end of
     * the connection, proved by its handshake. An application that budgets or blames peers
     * charges the neighbour. The router calls this method; the default ignores the neighbour.
     */
    default GossipData onGossipBroadcast(PeerName source, PeerName neighbour, byte[] update) {
        return onGossipBroadcast(source, update);
    }

    /**
     * Receives a unicast as {@link #onGossipUnicast(PeerName, byte[])} does, naming also the
     * neighbour that handed it on (the last hop, proved by its handshake; {@code source} is what
     * the frame says). The router calls this method; the default ignores the neighbour.
     */
    default void onGossipUnicast(PeerName source, PeerName neighbour, byte[] message) {
        onGossipUnicast(source, message);
    }
}
