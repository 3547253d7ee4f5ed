package org.nostrp2p.overlay;

import org.nostrp2p.overlay.name.PeerName;

/**
 * What an embedder hears about the overlay's membership (as memberlist's
 * {@code EventDelegate} or scalecube's membership events): peers becoming reachable or not,
 * this peer's connections coming up and going down, and two peers claiming one name.
 * Register with {@link Router#addMembershipListener}.
 *
 * <p>Every method has a no-op default, so an implementation writes only what it uses. All
 * calls for one router come on one thread of the router's ({@code overlay-<name>-events}),
 * one at a time, in the order the router saw the changes; a slow listener delays only later
 * events, never the overlay. An exception thrown is logged and the next event still comes.
 */
public interface MembershipListener {

    /**
     * {@code peer} became reachable from this peer over links both ends confirm (a unicast
     * route to it now exists). Reported at most ~100 ms after the route appeared.
     */
    default void peerJoined(PeerName peer, String nickName) {
    }

    /** {@code peer} is no longer reachable: it left, or the links to it broke. */
    default void peerLeft(PeerName peer) {
    }

    /**
     * A connection of this peer's was registered.
     *
     * @param peer     the remote peer
     * @param address  the remote address, {@code host:port}
     * @param outbound whether this peer dialled
     */
    default void connectionUp(PeerName peer, String address, boolean outbound) {
    }

    /**
     * A registered connection of this peer's ended.
     *
     * @param reason why, as the log says it
     */
    default void connectionDown(PeerName peer, String address, String reason) {
    }

    /**
     * Two live peers use one name: {@code name} was seen with {@code uid} and with
     * {@code otherUid}, both changing. When {@code name} is this router's own name, another
     * process runs with this peer's identity (a server uses this to detect a duplicate
     * identity). A restart is not a collision: the old incarnation's UID is superseded and
     * stops changing. Also listed in {@link RouterStatus#collidingNames()} while it lasts.
     */
    default void nameCollision(PeerName name, long uid, long otherUid) {
    }
}
