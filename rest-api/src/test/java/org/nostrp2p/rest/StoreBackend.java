package org.nostrp2p.rest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;
import org.nostrp2p.store.EventStore;

/** A backend over a real store that takes every event of one user: what the REST layer is tested against. */
final class StoreBackend implements RestBackend {
    private final EventStore store;
    private final String ownerHex;
    final AtomicLong writes = new AtomicLong();
    final AtomicLong queries = new AtomicLong();
    final List<ReqFilter> queried = new CopyOnWriteArrayList<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    StoreBackend(EventStore store, String ownerHex) {
        this.store = store;
        this.ownerHex = ownerHex;
    }

    @Override
    public PublishResult publish(Event event) {
        if (!event.pubkeyHex().equals(ownerHex)) {
            return PublishResult.refused(403, "only the server's own user may publish here");
        }
        return receive(event);
    }

    /** Stores an event as if it came from the overlay, telling live listeners. */
    PublishResult receive(Event event) {
        if (store.put(event) == EventStore.PutResult.STORED) {
            listeners.forEach(l -> l.accept(event));
        }
        writes.incrementAndGet();
        return PublishResult.stored();
    }

    @Override
    public LiveSubscription subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public List<Event> query(ReqFilter filter) {
        queries.incrementAndGet();
        queried.add(filter);
        if (filter.hasKind(ReqFilter.KIND_RECENT_EVENTS)) {
            return RecentEvents.answer(store, filter);
        }
        return store.query(new Filter(filter.ids(), filter.authors(), filter.kinds(), filter.tags(), null, null, 50));
    }

    @Override
    public long generation() {
        return writes.get();
    }
}
