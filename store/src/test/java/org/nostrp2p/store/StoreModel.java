package org.nostrp2p.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;
import org.nostrp2p.store.EventStore.PutResult;

/**
 * The store's semantics in the plainest terms, for property tests to compare against: a map
 * of events, NIP-01 filters by {@link Filter#matches}, only each author's newest kind 0 and 3,
 * and retention by cap and age that spares the owner and replaceable events.
 */
final class StoreModel {

    static final Comparator<Event> NEWEST_FIRST = Comparator.comparingLong(Event::createdAt).reversed()
            .thenComparing(Event::id, Arrays::compareUnsigned);

    private final Map<String, Event> events = new LinkedHashMap<>();
    private final String ownerHex;
    private final long maxEvents;
    private final Long maxAgeSeconds;

    StoreModel(String ownerHex, long maxEvents, Long maxAgeSeconds) {
        this.ownerHex = ownerHex;
        this.maxEvents = maxEvents;
        this.maxAgeSeconds = maxAgeSeconds;
    }

    PutResult put(Event event) {
        if (events.containsKey(event.idHex())) {
            return PutResult.DUPLICATE;
        }
        if (event.kind() == 0 || event.kind() == 3) {
            Optional<Event> current = latest(event.pubkeyHex(), event.kind());
            if (current.isPresent()) {
                if (NEWEST_FIRST.compare(current.get(), event) < 0) {
                    return PutResult.SUPERSEDED;
                }
                events.remove(current.get().idHex());
            }
        }
        events.put(event.idHex(), event);
        return PutResult.STORED;
    }

    Optional<Event> get(byte[] id) {
        return Optional.ofNullable(events.get(TestEvents.hex(id)));
    }

    List<Event> query(Filter filter) {
        return events.values().stream().filter(filter::matches).sorted(NEWEST_FIRST)
                .limit(filter.limit() == null ? Long.MAX_VALUE : filter.limit()).toList();
    }

    Optional<Event> latest(String pubkeyHex, int kind) {
        return events.values().stream().filter(e -> e.pubkeyHex().equals(pubkeyHex) && e.kind() == kind)
                .min(NEWEST_FIRST);
    }

    long count() {
        return events.size();
    }

    /** @return how many were evicted */
    long enforceRetention(long nowSeconds) {
        long before = events.size();
        List<Event> evictableOldestFirst = new ArrayList<>(events.values().stream()
                .filter(e -> !e.pubkeyHex().equals(ownerHex) && e.kind() != 0 && e.kind() != 3)
                .sorted(NEWEST_FIRST.reversed()).toList());
        if (maxAgeSeconds != null) {
            long cutoff = nowSeconds - maxAgeSeconds;
            evictableOldestFirst.removeIf(e -> {
                if (e.createdAt() < cutoff) {
                    events.remove(e.idHex());
                    return true;
                }
                return false;
            });
        }
        for (Event e : evictableOldestFirst) {
            if (events.size() <= maxEvents) {
                break;
            }
            events.remove(e.idHex());
        }
        return before - events.size();
    }
}
