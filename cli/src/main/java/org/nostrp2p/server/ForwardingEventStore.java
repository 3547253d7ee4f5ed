package org.nostrp2p.server;

import java.util.List;
import java.util.Optional;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.ResendQueue;

/**
 * An {@link EventStore} that hands every call to another: the base of the server's store
 * decorators, which override only what they add to. Thread-safe when the store it wraps is.
 */
abstract class ForwardingEventStore implements EventStore {

    /** The store calls go to. */
    protected final EventStore store;

    ForwardingEventStore(EventStore store) {
        this.store = store;
    }

    @Override
    public PutResult put(Event event) {
        return store.put(event);
    }

    @Override
    public List<PutResult> putAll(List<Event> events) {
        return store.putAll(events);
    }

    @Override
    public Optional<Event> get(byte[] id) {
        return store.get(id);
    }

    @Override
    public List<Event> query(Filter filter) {
        return store.query(filter);
    }

    @Override
    public Optional<Event> latestReplaceable(String pubkeyHex, int kind) {
        return store.latestReplaceable(pubkeyHex, kind);
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public ResendQueue resendQueue() {
        return store.resendQueue();
    }

    @Override
    public void close() {
        store.close();
    }
}
