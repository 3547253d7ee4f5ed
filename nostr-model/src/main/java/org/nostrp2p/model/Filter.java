package org.nostrp2p.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A NIP-01 filter: which events a query asks for. Every condition present must hold; a
 * {@code null} condition matches everything.
 *
 * @param ids     event ids as 64 lowercase hex characters, or {@code null}
 * @param authors public keys as 64 lowercase hex characters, or {@code null}
 * @param kinds   event kinds, or {@code null}
 * @param tags    single-letter tag name to accepted values ({@code #e}, {@code #p}, ...);
 *                never {@code null}, empty when the filter has no tag condition
 * @param since   lowest {@code created_at} accepted (inclusive), or {@code null}
 * @param until   highest {@code created_at} accepted (inclusive), or {@code null}
 * @param limit   at most this many events, the newest first, or {@code null} for no limit
 */
public record Filter(List<String> ids, List<String> authors, List<Integer> kinds,
                     Map<Character, List<String>> tags, Long since, Long until, Integer limit) {

    public Filter {
        ids = ids == null ? null : List.copyOf(ids);
        authors = authors == null ? null : List.copyOf(authors);
        kinds = kinds == null ? null : List.copyOf(kinds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
    }

    /** @return a filter that matches every event */
    public static Filter all() {
        return new Filter(null, null, null, Map.of(), null, null, null);
    }

    /** @return a copy with these kinds */
    public Filter withKinds(Integer... kinds) {
        return new Filter(ids, authors, List.of(kinds), tags, since, until, limit);
    }

    /** @return a copy with these authors (hex public keys) */
    public Filter withAuthors(String... authors) {
        return new Filter(ids, List.of(authors), kinds, tags, since, until, limit);
    }

    /** @return a copy with these ids (hex) */
    public Filter withIds(String... ids) {
        return new Filter(List.of(ids), authors, kinds, tags, since, until, limit);
    }

    /** @return a copy that also requires one of {@code values} in a tag named {@code name} */
    public Filter withTag(char name, String... values) {
        var copy = new java.util.HashMap<>(tags);
        copy.put(name, List.of(values));
        return new Filter(ids, authors, kinds, copy, since, until, limit);
    }

    /** @return a copy with this inclusive {@code created_at} range; either bound may be {@code null} */
    public Filter withRange(Long since, Long until) {
        return new Filter(ids, authors, kinds, tags, since, until, limit);
    }

    /** @return a copy with this limit, or none for {@code null} */
    public Filter withLimit(Integer limit) {
        return new Filter(ids, authors, kinds, tags, since, until, limit);
    }

    /**
     * Whether an event satisfies every condition but the limit.
     *
     * @param event the event to test
     * @return true when it matches
     */
    public boolean matches(Event event) {
        Objects.requireNonNull(event, "event");
        if (ids != null && !ids.contains(event.idHex())) {
            return false;
        }
        if (authors != null && !authors.contains(event.pubkeyHex())) {
            return false;
        }
        if (kinds != null && !kinds.contains(event.kind())) {
            return false;
        }
        if (since != null && event.createdAt() < since) {
            return false;
        }
        if (until != null && event.createdAt() > until) {
            return false;
        }
        for (var condition : tags.entrySet()) {
            String name = String.valueOf(condition.getKey());
            boolean found = event.tags().stream().anyMatch(t -> t.size() >= 2
                    && t.get(0).equals(name) && condition.getValue().contains(t.get(1)));
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
