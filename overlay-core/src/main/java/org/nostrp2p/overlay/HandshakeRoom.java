package org.nostrp2p.overlay;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Beyond mesh, within its handshake: what one end of a connection said of its room in its
 * features, and what both ends agree once each has read the other's. An accepting end says
 * whether it has its target degree ({@value FeatureExchange#FULL_FEATURE}), whether it passes
 * Java diallers on ({@value FeatureExchange#AT_LIMIT_FEATURE}, with the peers it hands them to,
 * {@value FeatureExchange#HAND_OFF_FEATURE}) and whether it still keeps one with no link
 * ({@value FeatureExchange#LINKLESS_ROOM_FEATURE}); a dialling end says whether it has no link
 * although a full peer passed it on ({@value FeatureExchange#LINKLESS_FEATURE}). The rules of
 * room are {@link Admission}'s; this holds one connection's side of them, and the admission an
 * inbound connection told it is welcome holds until it is registered or closed.
 *
 * <p>{@link #say} and {@link #agree} run on the connection's event loop, once each, in that
 * order; the rest may be read from any thread.
 */
final class HandshakeRoom {
    private final boolean outbound;
    private final ConnectionHost host;
    private volatile boolean saidFull;
    private volatile boolean saidAtLimit;
    // this end said Linkless (dialling) or LinklessRoom (accepting at its limit)
    private volatile boolean saidLinkless;
    private volatile boolean saidLinklessRoom;
    /** This end, at its limit, named peers with room in its features. */
    private volatile boolean handedOff;
    // An inbound connection told it was welcome counts towards this peer's links from then
    // until it is registered (and published) or closed.
    private final AtomicBoolean admitted = new AtomicBoolean();

    HandshakeRoom(boolean outbound, ConnectionHost host) {
        this.outbound = outbound;
        this.host = host;
    }

    /**
     * Event loop, as this end writes its features: what it says of its room. An inbound
     * connection told it is welcome (or kept as linkless) opens an admission.
     *
     * @param optional this end dials an optional link (a discovered peer it does not need)
     */
    FeatureExchange.Ours say(long connId, boolean trustRemote, boolean optional, int targetDegree, int connLimit) {
        // links registered, and inbound ones admitted but still in their handshake: a burst of
        // newcomers hand-shaking at once must not all see room
        int count = host.connectionsAndAdmissions();
        Admission room = outbound ? Admission.DIALLING : Admission.of(count, targetDegree, connLimit);
        saidFull = room.full();
        saidAtLimit = room.atLimit();
        saidLinklessRoom = room.linklessRoom();
        saidLinkless = outbound && !optional && count == 0 && host.passedOnWithoutLink();
        // room kept for a linkless dialler counts as an admission until the features tell
        if (!outbound && (!saidAtLimit || saidLinklessRoom) && admitted.compareAndSet(false, true)) {
            host.admissionOpened();
        }
        List<String> handOff = saidAtLimit ? host.handOff() : List.of();
        handedOff = !handOff.isEmpty();
        return new FeatureExchange.Ours(connId, trustRemote, outbound && optional, saidFull, saidAtLimit, handOff,
                saidLinkless, saidLinklessRoom);
    }

    /**
     * Event loop, once the remote features are read: an accepting peer at its limit that has
     * linkless room keeps a dialler that says it is linkless, and both ends, reading both
     * features, agree it is a link.
     *
     * @return the remote features as this end takes them: a dialler kept as linkless no longer
     *     sees the remote peer at its limit
     */
    FeatureExchange.Theirs agree(FeatureExchange.Theirs remote) {
        boolean keptLinkless = outbound
                ? saidLinkless && remote.atLimit() && remote.linklessRoom()
                : saidLinklessRoom && remote.linkless();
        if (keptLinkless) {
            if (outbound) {
                return remote.keptAsLinkless();
            }
            saidAtLimit = false;
            handedOff = false;
        } else if (!outbound && saidLinklessRoom) {
            release(); // the dialler has a link, or is Go: at the limit as before
        }
        return remote;
    }

    /** The connection is registered and published, or closed: it no longer counts as admitted. Any thread. */
    void release() {
        if (admitted.compareAndSet(true, false)) {
            host.admissionClosed();
        }
    }

    /** @return whether this end said it has its target degree */
    boolean saidFull() {
        return saidFull;
    }

    /** @return whether this end said it is at its limit (a Java remote then does not register it) */
    boolean saidAtLimit() {
        return saidAtLimit;
    }

    /** @return whether this end, at its limit, handed the remote on in its features (no topology message is then needed) */
    boolean handedOff() {
        return handedOff;
    }
}
