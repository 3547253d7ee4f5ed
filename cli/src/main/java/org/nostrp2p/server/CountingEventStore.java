package org.nostrp2p.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.ResendQueue;

/** An {@link EventStore} that counts its writes, so cached answers know when they are stale. Thread-safe. */
final class CountingEventStore implements EventStore {

    private final EventStore store;
    private final AtomicLong writes = new AtomicLong();

    CountingEventStore(EventStore store) {
        this.store = store;
    }

    /** @return how many writes were made through this store */
    long writes() {
        return writes.get();
    }

    @Override
    public PutResult put(Event event) {
        try {
            return store.put(event);
        } finally {
            writes.incrementAndGet();
        }
    }

    @Override
    public List<PutResult> putAll(List<Event> events) {
        try {
            return store.putAll(events);
        } finally {
            writes.incrementAndGet();
        }
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
