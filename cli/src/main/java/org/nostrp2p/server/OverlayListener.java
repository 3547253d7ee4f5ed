package org.nostrp2p.server;

import org.nostrp2p.overlay.PeerName;

/** What the overlay hands the application protocol. Called from the overlay's threads; must not block for long. */
interface OverlayListener {

    /**
     * A packet broadcast by {@code source}.
     *
     * @return the packet to pass on to the rest of the broadcast tree (what in it was new and
     *     valid), or {@code null} for nothing
     */
    byte[] onBroadcast(PeerName source, byte[] packet);

    /** A packet {@code source} sent to this server alone. */
    void onUnicast(PeerName source, byte[] packet);
}
