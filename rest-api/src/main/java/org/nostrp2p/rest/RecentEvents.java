package org.nostrp2p.rest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;
import org.nostrp2p.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a kind {@value ReqFilter#KIND_RECENT_EVENTS} request, with the Go server's
 * rules, so both poll shapes of the Flutter client work:
 * <ul>
 *   <li>{@code limit} present and neither -1 nor 0: the latest {@code limit} events
 *       (at most {@link #MAX_EVENTS}), since/until ignored;</li>
 *   <li>otherwise {@code since} absent or 0: the latest {@value #DEFAULT_LATEST};</li>
 *   <li>otherwise the inclusive range [since, until], {@code until} absent or 0 meaning no
 *       upper bound; when more than {@link #MAX_EVENTS} match, the newest of them, logged.</li>
 * </ul>
 * Every answer is oldest first, as the Go server's sorted set gives them. Thread-safe.
 */
public final class RecentEvents {

    /** The number of events for "latest" without a limit, as the Go server answers. */
    public static final int DEFAULT_LATEST = 50;

    /** No answer holds more events than this (the Flutter client asks at most 300). */
    public static final int MAX_EVENTS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RecentEvents.class);

    private RecentEvents() {
    }

    /**
     * @param store  where the events are
     * @param filter a request whose kinds include {@value ReqFilter#KIND_RECENT_EVENTS}
     * @return the events, oldest first
     */
    public static List<Event> answer(EventStore store, ReqFilter filter) {
        Long limit = filter.limit();
        Long since = filter.since();
        List<Event> newestFirst;
        if (limit != null && limit != -1 && limit != 0) {
            int n = (int) Math.min(Math.max(limit, 1), MAX_EVENTS);
            newestFirst = store.query(Filter.all().withLimit(n));
        } else if (since == null || since == 0) {
            newestFirst = store.query(Filter.all().withLimit(DEFAULT_LATEST));
        } else {
            Long until = filter.until() == null || filter.until() == 0 ? null : filter.until();
            newestFirst = store.query(Filter.all().withRange(since, until).withLimit(MAX_EVENTS + 1));
            if (newestFirst.size() > MAX_EVENTS) {
                LOG.info("A client asked for events from {} to {}: more than {} match, answering the newest {}",
                        since, until == null ? "now" : until, MAX_EVENTS, MAX_EVENTS);
                newestFirst = newestFirst.subList(0, MAX_EVENTS);
            }
        }
        List<Event> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }
}
