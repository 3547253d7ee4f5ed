package org.nostrp2p.rest;

import java.util.List;
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

    StoreBackend(EventStore store, String ownerHex) {
        this.store = store;
        this.ownerHex = ownerHex;
    }

    @Override
    public PublishResult publish(Event event) {
        if (!event.pubkeyHex().equals(ownerHex)) {
            return PublishResult.refused(403, "only the server's own user may publish here");
        }
        store.put(event);
        writes.incrementAndGet();
        return PublishResult.stored();
    }

    @Override
    public List<Event> query(ReqFilter filter) {
        queries.incrementAndGet();
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
