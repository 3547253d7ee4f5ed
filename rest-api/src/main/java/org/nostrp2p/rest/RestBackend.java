package org.nostrp2p.rest;

import java.util.List;
import java.util.function.Consumer;
import org.nostrp2p.model.Event;

/**
 * What the REST API serves: the server behind {@code /publish} and {@code /req}. The
 * embeddable server implements it; {@link RestServer} handles HTTP, CORS, bodies, JSON,
 * MessagePack, gzip, signature checks and write permission, and calls these methods from
 * its worker threads.
 *
 * <p>Implementations must be thread-safe: several requests run at once.
 */
public interface RestBackend {

    /**
     * Accepts an event the server's own client published. The event's id and signature are
     * already verified. Answer {@link PublishResult#stored()} only once the event is durable.
     *
     * @param event a verified event, never {@code null}
     * @return stored, or refused with an HTTP status and a reason the client can show
     */
    PublishResult publish(Event event);

    /**
     * Answers a client's {@code /req}.
     *
     * @param filter the request, never {@code null}
     * @return the events to answer (the REST layer strips their signatures), never {@code null}
     */
    List<Event> query(ReqFilter filter);

    /**
     * A number that changes whenever the answer to a recent-events query (kind
     * {@value ReqFilter#KIND_RECENT_EVENTS}) may change, e.g. a count of the store's writes.
     * While it stays the same, {@link RestServer} answers such a query from a cache without
     * calling {@link #query}; the Flutter client's timeline polls all ask the same thing.
     *
     * @return the generation, or -1 (the default) when answers must not be cached
     */
    default long generation() {
        return -1;
    }

    /**
     * Registers a listener told of every event the server stores from now on (published by its
     * own client or received from the overlay); the NIP-01 relay endpoint delivers them live to
     * its open subscriptions. The listener runs on the thread that stored the event: it must be
     * quick and must not block; it may keep the event (events are immutable).
     *
     * @param listener called once per newly stored event
     * @return a handle that unregisters the listener; the default registers nothing and has no
     *     live events to tell
     */
    default LiveSubscription subscribe(Consumer<Event> listener) {
        return () -> { };
    }

    /**
     * The server's user, who alone may read {@code GET /status} (with a NIP-98 header signed
     * by this key).
     *
     * @return the user's public key as 64 hex characters, or null (the default) when the
     *     backend has no status to show; {@code GET /status} then answers 404
     */
    default String ownerPublicKeyHex() {
        return null;
    }

    /**
     * Answers {@code GET /status}, once the caller proved to be the owner.
     *
     * @return the overlay as this server sees it, or null when it cannot tell (503)
     */
    default ServerStatus status() {
        return null;
    }
}
