package org.nostrp2p.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.model.Event;
import org.nostrp2p.store.EventStore;

/** An {@link EventStore} that counts its writes, so cached answers know when they are stale. Thread-safe. */
final class CountingEventStore extends ForwardingEventStore {

    private final AtomicLong writes = new AtomicLong();

    CountingEventStore(EventStore store) {
        super(store);
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
}
