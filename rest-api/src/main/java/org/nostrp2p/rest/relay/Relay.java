package org.nostrp2p.rest.relay;

import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nostrp2p.model.Event;
import org.nostrp2p.rest.LiveSubscription;
import org.nostrp2p.rest.RestBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NIP-01 relay endpoint of a NostrP2P server: every Nostr client (nostr-tools, Amethyst,
 * Damus, ...) uses the user's own server as its relay. {@code EVENT} follows the rules of
 * {@code /publish} (only the owner writes, id and signature verified, then the same
 * distribution); {@code REQ} answers stored events newest first, {@code EOSE}, then live
 * events as the server stores them (from its client or from the overlay); a REQ for a
 * profile, follow list or event the server lacks makes it ask the author's server, and the
 * answer arrives live on the open subscription. Limits per connection: {@link RelayLimits}.
 *
 * <p>Thread-safe. Create it, {@link #start()} it (it registers with
 * {@link RestBackend#subscribe}), hand it to Undertow as the WebSocket callback, {@link #close()}
 * it when the server stops.
 */
public final class Relay implements WebSocketConnectionCallback, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    /** How often a client is pinged unless told otherwise. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);

    private final RestBackend backend;
    private final boolean writable;
    private final Duration pingInterval;
    private final Set<RelayConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile LiveSubscription live;

    /**
     * @param backend  the server behind the relay
     * @param writable whether {@code EVENT} is accepted; when false every one gets {@code OK false blocked:}
     */
    public Relay(RestBackend backend, boolean writable) {
        this(backend, writable, DEFAULT_PING_INTERVAL);
    }

    /**
     * @param backend      the server behind the relay
     * @param writable     whether {@code EVENT} is accepted
     * @param pingInterval how often each client is pinged, so that a client that only listens
     *                     is not closed as idle (keep it well under the listener's idle timeout);
     *                     zero for never
     */
    public Relay(RestBackend backend, boolean writable, Duration pingInterval) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.writable = writable;
        this.pingInterval = Objects.requireNonNull(pingInterval, "pingInterval");
    }

    /** Starts listening for newly stored events; idempotent. */
    public synchronized void start() {
        if (live == null) {
            live = backend.subscribe(this::stored);
        }
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        RelayConnection connection = new RelayConnection(channel, backend, writable, pingInterval, connections::remove);
        connections.add(connection);
        LOG.debug("Relay connection from {}", channel.getSourceAddress());
        connection.start();
    }

    /** @return how many clients are connected */
    public int connectionCount() {
        return connections.size();
    }

    private void stored(Event event) {
        for (RelayConnection connection : connections) {
            connection.stored(event);
        }
    }

    /** Stops live delivery and closes every connection; idempotent. */
    @Override
    public synchronized void close() {
        if (live != null) {
            live.close();
            live = null;
        }
        for (RelayConnection connection : connections) {
            connection.close(1001, "the server is stopping");
        }
        connections.clear();
    }
}
