package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one request per key (e.g. kind and author) per interval, so a client that polls
 * does not make its server flood another. Bounded; thread-safe.
 */
final class RequestLimiter {

    private static final int CAPACITY = 10_000;

    private final Clock clock;
    private final Map<String, Long> lastSent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    RequestLimiter(Clock clock) {
        this.clock = clock;
    }

    /** @return true (and remember now) when no request for {@code key} was allowed within {@code interval} */
    synchronized boolean allow(String key, Duration interval) {
        long now = clock.millis();
        Long last = lastSent.get(key);
        if (last != null && now - last < interval.toMillis()) {
            return false;
        }
        lastSent.put(key, now);
        return true;
    }
}
