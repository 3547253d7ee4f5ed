package org.nostrp2p.store;

import java.util.List;
import java.util.Optional;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;

/**
 * Where a server keeps its bounded window of recent events.
 *
 * <p>Implementations are thread-safe: any thread may read while another writes. {@link #put}
 * returns only once the event is durable, so a server may acknowledge it.
 */
public interface EventStore extends AutoCloseable {

    /** What {@link #put} did with an event. */
    enum PutResult {
        /** The event is new and now stored. */
        STORED,
        /** An event with this id was already stored; nothing changed. */
        DUPLICATE,
        /** A replaceable event (kind 0 or 3) older than the one stored for its author; kept out. */
        SUPERSEDED
    }

    /**
     * Stores an event unless it is a duplicate; returns once it is durable.
     *
     * @param event a verified event
     * @return what happened
     * @throws StoreException when the database fails
     */
    PutResult put(Event event);

    /**
     * Stores several events in one transaction; returns once all are durable.
     *
     * @param events verified events
     * @return what happened to each, in order
     * @throws StoreException when the database fails
     */
    List<PutResult> putAll(List<Event> events);

    /**
     * @param id a 32-byte event id
     * @return the event, if stored
     */
    Optional<Event> get(byte[] id);

    /**
     * The events matching a NIP-01 filter, newest first ({@code created_at} descending, then
     * id ascending), at most {@code filter.limit()} of them. For kinds 0 and 3 only each
     * author's newest is ever returned.
     *
     * @param filter the filter
     * @return the matching events
     */
    List<Event> query(Filter filter);

    /**
     * The newest replaceable event (kind 0 profile or 3 follow list) of an author.
     *
     * @param pubkeyHex the author's public key, 64 hex characters
     * @param kind      0 or 3
     * @return the newest one, ties broken by the lowest id
     */
    Optional<Event> latestReplaceable(String pubkeyHex, int kind);

    /** @return the number of events stored */
    long count();

    /** @return the persistent queue of unicasts waiting for a route */
    ResendQueue resendQueue();

    @Override
    void close();
}
