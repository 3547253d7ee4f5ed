package org.nostrp2p.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids seen lately, to drop a broadcast seen before; bounded (the oldest are forgotten),
 * unlike the Go server's map, which never shrinks. Thread-safe.
 */
final class RecentIds {

    private final Map<Object, Boolean> seen;

    RecentIds(int capacity) {
        this.seen = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** @return true when {@code id} was not seen lately; it is now */
    synchronized boolean firstSeen(Object id) {
        return seen.put(id, Boolean.TRUE) == null;
    }

    /** @return whether {@code id} was seen lately */
    synchronized boolean contains(Object id) {
        return seen.containsKey(id);
    }

    /** Forgets {@code id}, so it is processed when it comes again. */
    synchronized void forget(Object id) {
        seen.remove(id);
    }
}
