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
 * and retention by cap and age that spares the protected set (see {@code Retention}), batch by batch.
 */
final class StoreModel {

    static final Comparator<Event> NEWEST_FIRST = Comparator.comparingLong(Event::createdAt).reversed()
            .thenComparing(Event::id, Arrays::compareUnsigned);

    private final Map<String, Event> events = new LinkedHashMap<>();
    private final String ownerHex;
    private final long maxEvents;
    private final Long maxAgeSeconds;
    private final int batch;
    private final long perAuthorCap;

    StoreModel(String ownerHex, long maxEvents, Long maxAgeSeconds) {
        this(ownerHex, maxEvents, maxAgeSeconds, 3, Math.max(1, maxEvents / 100));
    }

    StoreModel(String ownerHex, long maxEvents, Long maxAgeSeconds, int batch, long perAuthorCap) {
        this.batch = batch;
        this.perAuthorCap = perAuthorCap;
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

    /**
     * The protected set: the owner's events, those of the authors the owner's newest follow
     * list names, those whose p tags name the owner.
     */
    boolean isProtected(Event e) {
        return protectedAuthors().contains(e.pubkeyHex()) || addressedToOwner(e);
    }

    boolean addressedToOwner(Event e) {
        return e.tags().stream().anyMatch(t -> t.size() >= 2 && t.get(0).equals("p") && t.get(1).equals(ownerHex));
    }

    java.util.Set<String> protectedAuthors() {
        java.util.Set<String> authors = new java.util.HashSet<>();
        if (ownerHex == null) {
            return authors;
        }
        authors.add(ownerHex);
        latest(ownerHex, 3).ifPresent(follows -> follows.tags().stream()
                .filter(t -> t.size() >= 2 && t.get(0).equals("p") && org.nostrp2p.model.Events.isHex64(t.get(1)))
                .forEach(t -> authors.add(t.get(1).toLowerCase(java.util.Locale.ROOT))));
        return authors;
    }

    /** @return how many were evicted, batch by batch as the store evicts */
    long enforceRetention(long nowSeconds) {
        long before = events.size();
        Comparator<Event> oldestFirst = NEWEST_FIRST.reversed();
        if (maxAgeSeconds != null) {
            long cutoff = nowSeconds - maxAgeSeconds;
            events.values().removeIf(e -> !isProtected(e) && e.createdAt() < cutoff);
        }
        while (events.size() > maxEvents) {
            int n = (int) Math.min(events.size() - maxEvents, batch);
            List<Event> unprotected = events.values().stream().filter(e -> !isProtected(e)).toList();
            long future = nowSeconds + org.nostrp2p.model.EventLimits.MAX_FUTURE_SECONDS;
            List<Event> victims = unprotected.stream().filter(e -> e.createdAt() > future)
                    .sorted(Comparator.comparingLong(Event::createdAt).reversed().thenComparing(Event::id, Arrays::compareUnsigned))
                    .limit(n).toList();
            if (victims.isEmpty()) {
                java.util.Set<String> guarded = protectedAuthors();
                Map<String, Long> held = new java.util.TreeMap<>();
                events.values().stream().filter(e -> !guarded.contains(e.pubkeyHex()))
                        .forEach(e -> held.merge(e.pubkeyHex(), 1L, Long::sum));
                String crowded = null;
                for (Map.Entry<String, Long> entry : held.entrySet()) {
                    if (entry.getValue() > perAuthorCap && (crowded == null || entry.getValue() > held.get(crowded))) {
                        crowded = entry.getKey();
                    }
                }
                if (crowded != null) {
                    String author = crowded;
                    victims = unprotected.stream().filter(e -> e.pubkeyHex().equals(author)).sorted(oldestFirst)
                            .limit(Math.min(n, held.get(author) - perAuthorCap)).toList();
                }
            }
            if (victims.isEmpty()) {
                victims = unprotected.stream().sorted(oldestFirst).limit(n).toList();
            }
            if (victims.isEmpty()) {
                break;
            }
            victims.forEach(e -> events.remove(e.idHex()));
        }
        return before - events.size();
    }
}
