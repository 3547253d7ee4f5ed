package org.nostrp2p.rest.relay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;
import org.nostrp2p.rest.ReqFilter;
import org.nostrp2p.rest.RestBackend;

/**
 * Answers the stored part of a NIP-01 {@code REQ} through a {@link RestBackend}: ids, profiles
 * (kind 0) and follow lists (kind 3) go through the backend's lookups, which ask the author's
 * server for what is missing (as {@code /req} does); everything else is one store query. The
 * answer is every filter's events, de-duplicated, each filter's conditions applied exactly,
 * newest first.
 */
final class RelayQuery {

    private static final Comparator<Event> NEWEST_FIRST = Comparator.comparingLong(Event::createdAt).reversed()
            .thenComparing(Event::idHex);

    private RelayQuery() {
    }

    static List<Event> stored(RestBackend backend, List<ReqFilter> filters) {
        Map<String, Event> all = new LinkedHashMap<>();
        for (ReqFilter filter : filters) {
            for (Event event : stored(backend, filter)) {
                all.putIfAbsent(event.idHex(), event);
            }
        }
        List<Event> out = new ArrayList<>(all.values());
        out.sort(NEWEST_FIRST);
        return out;
    }

    static List<Event> stored(RestBackend backend, ReqFilter filter) {
        int limit = limit(filter);
        if (limit == 0) {
            return List.of();
        }
        List<Event> found = new ArrayList<>();
        if (filter.ids() != null) {
            found.addAll(backend.query(new ReqFilter(filter.ids(), filter.authors(), null, Map.of(), null, null, (long) limit)));
            List<String> missing = filter.ids().stream().filter(id -> found.stream().noneMatch(e -> e.idHex().equals(id))).toList();
            if (!missing.isEmpty()) {
                // A post lookup (kind 1 with ids) makes the backend ask the author's server for what it lacks.
                found.addAll(backend.query(new ReqFilter(missing, filter.authors(), List.of(1), Map.of(), null, null, null)));
            }
        } else {
            List<Integer> otherKinds = filter.kinds() == null ? null : new ArrayList<>(filter.kinds());
            if (filter.authors() != null && filter.kinds() != null) {
                for (int replaceable : new int[] {0, 3}) {
                    if (filter.hasKind(replaceable)) {
                        found.addAll(backend.query(new ReqFilter(null, filter.authors(), List.of(replaceable), Map.of(), null, null, null)));
                        otherKinds.remove(Integer.valueOf(replaceable));
                    }
                }
            }
            if (otherKinds != null) {
                // NostrP2P's own "recent events" kind means something else to the backend; no event has it.
                otherKinds.remove(Integer.valueOf(ReqFilter.KIND_RECENT_EVENTS));
            }
            if (otherKinds == null || !otherKinds.isEmpty()) {
                found.addAll(backend.query(new ReqFilter(null, filter.authors(), otherKinds, filter.tags(),
                        filter.since(), filter.until(), (long) limit)));
            }
        }
        Filter exact = matcher(filter);
        List<Event> out = new ArrayList<>(found.stream().filter(exact::matches).toList());
        out.sort(NEWEST_FIRST);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** @return the model filter that decides whether an event (stored or live) belongs to the REQ */
    static Filter matcher(ReqFilter filter) {
        return new Filter(filter.ids(), filter.authors(), filter.kinds(), filter.tags(), filter.since(), filter.until(), null);
    }

    private static int limit(ReqFilter filter) {
        if (filter.limit() == null || filter.limit() < 0) {
            return RelayLimits.MAX_LIMIT;
        }
        return (int) Math.min(filter.limit(), RelayLimits.MAX_LIMIT);
    }
}
