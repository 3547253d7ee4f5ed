package org.nostrp2p.overlay;

import java.util.Collection;

/**
 * A peer of a weaveworks/mesh overlay: it listens, connects, keeps the topology, computes
 * routes and carries the application's gossip channels (mesh {@code Router}).
 *
 * <p>Build one with {@link #builder()}, register channels with {@link #newGossip}, then
 * {@link #start()}. Thread-safe.
 */
public final class Router implements AutoCloseable {
    // CONTRACT: implemented by the overlay-core work (issue 3). The builder's settings and
    // the methods below are what the server relies on; add to them, do not rename them.

    private Router() {
    }

    /** @return a builder with mesh's defaults (port 6783, connection limit 64, discovery on) */
    public static Builder builder() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Registers a channel; call before or after {@link #start()}. */
    public Gossip newGossip(String channel, Gossiper gossiper) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Starts listening and connecting; returns once the listening socket is bound. */
    public void start() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Adds {@code host:port} addresses to connect to and keep connecting to (mesh {@code ConnectionMaker.InitiateConnections}). */
    public void connect(Collection<String> addresses) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return this peer's name */
    public PeerName name() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Closes every connection and the listening socket; waits until they are closed. */
    public void stop() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
        stop();
    }

    /** Settings of a {@link Router}. */
    public static final class Builder {
        public Builder name(PeerName name) { throw new UnsupportedOperationException(); }
        public Builder nickName(String nickName) { throw new UnsupportedOperationException(); }
        /** {@code host} to bind, {@code port} 0 for any free port. */
        public Builder listen(String host, int port) { throw new UnsupportedOperationException(); }
        public Builder connLimit(int connLimit) { throw new UnsupportedOperationException(); }
        public Builder peerDiscovery(boolean enabled) { throw new UnsupportedOperationException(); }
        public Router build() { throw new UnsupportedOperationException(); }
    }
}
