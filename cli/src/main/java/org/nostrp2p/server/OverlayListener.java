package org.nostrp2p.server;

import org.nostrp2p.overlay.name.PeerName;

/**
 * What the overlay hands the application protocol. Called from the overlay's threads; must not
 * block for long. The packet arrays are the listener's to keep.
 *
 * <p>{@code relayedBy} is the neighbour the packet came from, the peer budgets are charged to
 * (a source name can be forged by whoever relays it). An overlay that cannot tell passes the
 * source, through the two-argument methods.
 */
interface OverlayListener {

    /**
     * A packet broadcast by {@code source}, received from the neighbour {@code relayedBy}.
     *
     * @return the packet to pass on to the rest of the broadcast tree (what in it was new and
     *     valid), or {@code null} for nothing
     */
    byte[] onBroadcast(PeerName source, PeerName relayedBy, byte[] packet);

    /** A packet {@code source} sent to this server alone, received from the neighbour {@code relayedBy}. */
    void onUnicast(PeerName source, PeerName relayedBy, byte[] packet);

    /** {@link #onBroadcast(PeerName, PeerName, byte[])} from an overlay that cannot name the neighbour. */
    default byte[] onBroadcast(PeerName source, byte[] packet) {
        return onBroadcast(source, source, packet);
    }

    /** {@link #onUnicast(PeerName, PeerName, byte[])} from an overlay that cannot name the neighbour. */
    default void onUnicast(PeerName source, byte[] packet) {
        onUnicast(source, source, packet);
    }

    /**
     * The overlay's topology shows two peers (two UIDs) with the name {@code name}: two servers
     * run with the same user's key (or one pretends to). Called once when it starts.
     */
    default void onNameCollision(PeerName name) {
    }

    /** The topology again shows one peer named {@code name}. */
    default void onNameCollisionResolved(PeerName name) {
    }
}
