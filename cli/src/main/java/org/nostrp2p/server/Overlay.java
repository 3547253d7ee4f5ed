package org.nostrp2p.server;

import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.RouterStatus;

/**
 * The server's port to the overlay: what the NostrP2P application protocol needs of it.
 * {@link RouterOverlay} implements it over a mesh {@code Router}; tests may run the protocol
 * over another implementation. Implementations are thread-safe.
 */
interface Overlay {

    /** Starts taking part; received messages go to {@code listener}. */
    void start(OverlayListener listener);

    /** @return this server's peer name */
    PeerName self();

    /** Sends {@code packet} to every server. */
    void broadcast(byte[] packet);

    /**
     * Sends {@code packet} to one server.
     *
     * @return whether a route existed and the packet was handed on
     */
    boolean unicast(PeerName destination, byte[] packet);

    /** @return where this peer listens, {@code host:port} (the real port once started) */
    String listenAddress();

    /** @return how many other peers this one can reach now, or -1 when it cannot tell */
    int reachablePeers();

    /** @return the overlay as this peer sees it, or null when this overlay cannot tell (the default) */
    default RouterStatus routerStatus() {
        return null;
    }

    /** Leaves the overlay; idempotent. */
    void stop();
}
