package org.nostrp2p.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.nostrp2p.model.Event;
import org.nostrp2p.rest.LiveSubscription;
import org.nostrp2p.store.EventStore;

/**
 * An {@link EventStore} that tells its listeners of every event newly stored through it (not
 * duplicates, not superseded profiles), once the store has made it durable: the relay endpoint
 * delivers them live. Listeners run on the storing thread; one that throws is logged and the
 * others still run. Thread-safe.
 */
final class LiveEventStore extends ForwardingEventStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LiveEventStore.class);

    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    LiveEventStore(EventStore store) {
        super(store);
    }

    /** @return a handle that unregisters {@code listener} */
    LiveSubscription subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public PutResult put(Event event) {
        PutResult result = store.put(event);
        if (result == PutResult.STORED) {
            tell(event);
        }
        return result;
    }

    @Override
    public List<PutResult> putAll(List<Event> events) {
        List<PutResult> results = store.putAll(events);
        for (int i = 0; i < results.size() && i < events.size(); i++) {
            if (results.get(i) == PutResult.STORED) {
                tell(events.get(i));
            }
        }
        return results;
    }

    private void tell(Event event) {
        for (Consumer<Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A listener of stored events failed on {}: {}", event.idHex(), e.toString());
            }
        }
    }
}
