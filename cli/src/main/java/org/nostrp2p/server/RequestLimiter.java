package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one request per key (e.g. kind and author) per interval, with an optional burst,
 * so a client that polls does not make its server flood another, nor a peer this server.
 * (The generic cell rate algorithm: a theoretical arrival time per key.) Bounded; thread-safe.
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

    /** @return true (and count it) when no request for {@code key} was allowed within {@code interval} */
    boolean allow(String key, Duration interval) {
        return allow(key, interval, 1);
    }

    /** @return true (and count it) when fewer than {@code burst} requests for {@code key} were allowed lately, one per {@code interval} on average */
    synchronized boolean allow(String key, Duration interval, int burst) {
        long now = clock.millis();
        long step = interval.toMillis();
        Long theoretical = lastSent.get(key);
        long next = theoretical == null ? now : Math.max(theoretical, now);
        if (next - now > (long) (burst - 1) * step) {
            return false;
        }
        lastSent.put(key, next + step);
        return true;
    }
}
