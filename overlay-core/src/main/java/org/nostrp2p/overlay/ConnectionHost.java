package org.nostrp2p.overlay;

import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ProtocolTag;

/**
 * What a {@link Connection} needs of the peer it belongs to while it runs, and where it hands
 * what it learns (mesh's {@code LocalConnection} calls {@code router.Ourself},
 * {@code router.handleGossip} and the router's config; here a connection sees only this).
 * Its settings, which never change, are a {@link ConnectionSettings}. The router implements
 * it; a test can implement it to run a connection without one.
 *
 * <p>In the order of a connection's life: its features read {@link #listenPort},
 * {@link #shortId} and {@link #connectionsAndAdmissions}, and an inbound connection told it is
 * welcome {@link #admissionOpened opens} an admission; once the remote features are read, the
 * handshake {@link #handshakeDone ends} and the connection asks to be {@link #register registered} (the host
 * calls {@link Connection#activate()} once it is); frames then go to
 * {@link #receiveGossip}; a neighbour over its budget is {@link #suspend suspended}; at the end
 * the admission is {@link #admissionClosed closed} and the host hears that the connection
 * {@link #closed} once. Called from the connection's event loop and from writers' threads:
 * implementations are thread-safe and do not block.
 */
interface ConnectionHost {

    /** @return the port this peer listens on, the real one once bound (feature {@code ListenPort}) */
    int listenPort();

    /** @return this peer's short id now (it may change when another peer's collides) */
    int shortId();

    /**
     * @return whether this peer has no link although a full peer passed it on before: it then
     *     says so when it dials a Java peer, which may keep it (see
     *     {@link FeatureExchange#LINKLESS_FEATURE}); any thread; false by default
     */
    default boolean passedOnWithoutLink() {
        return false;
    }

    /**
     * @return the addresses of up to {@link FeatureExchange#HAND_OFF_MAX} peers with room that
     *     this peer, at its limit, hands a dialler on to in its features (see {@link PassOn});
     *     none by default
     */
    default java.util.List<String> handOff() {
        return java.util.List.of();
    }

    /**
     * @return the connections registered now plus the inbound ones admitted and still in their
     *     handshake: a burst of newcomers hand-shaking at once must not all see room
     */
    int connectionsAndAdmissions();

    /** An inbound connection was told it is welcome: it counts in {@link #connectionsAndAdmissions()}. */
    void admissionOpened();

    /** A connection that {@link #admissionOpened opened} an admission is registered or closed; once. */
    void admissionClosed();

    /**
     * {@code connection} is out of its handshake (its features are read, or it closed): it no
     * longer holds a handshake slot (see {@link SlotGuard}). May be called more than once.
     */
    void handshakeDone(Connection connection);

    /**
     * {@code connection} has read the remote peer's features and waits, unread, to be
     * registered; the host calls {@link Connection#activate()} if it keeps it, or closes it.
     */
    void register(Connection connection);

    /** A gossip frame ({@code tag} is a gossip tag) came on {@code from}; {@code payload} is the host's. */
    void receiveGossip(Connection from, ProtocolTag tag, byte[] payload);

    /**
     * Refuses {@code name} for a while: its connection is being closed for going over its budget.
     *
     * @return how long it is refused, in nanoseconds
     */
    long suspend(PeerName name);

    /** @return the counters the connection adds its frames, bytes and pauses to */
    RouterCounters counters();

    /** @return where lines about connections that never became links go, one a minute per cause */
    RateLimitedLog connectionLog();

    /** {@code connection}'s channel has closed; called once, on its event loop. */
    void closed(Connection connection);
}
