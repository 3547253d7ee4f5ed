package org.nostrp2p.overlay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Beyond mesh: how often addresses learnt from topology gossip may be dialled. Anyone can put
 * any address in its topology entry, so without a budget one update naming closed ports turns
 * every peer that hears it into a connection reflector (mesh resets a target's backoff when the
 * target leaves and re-enters the topology). Here each such address has its own backoff,
 * remembered by address whatever the topology does (first retry after
 * {@link #FIRST_BACKOFF_NANOS}, doubling up to {@link #MAX_BACKOFF_NANOS}), and all of them
 * share a global rate ({@link #GLOBAL_PER_SECOND} a second, bursts of {@link #GLOBAL_BURST}).
 * Addresses that once completed a handshake are exempt (they are retried as mesh retries),
 * and so are addresses the operator gave, which the caller does not submit. Not
 * thread-safe: the connection maker's actor owns it.
 */
final class DialBudget {

    static final long FIRST_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int GLOBAL_PER_SECOND = 4;
    static final int GLOBAL_BURST = 16;
    /** Addresses remembered at once (least recently dialled forgotten); the global rate bounds the rest. */
    static final int MAX_REMEMBERED = 8_192;

    private static final long GLOBAL_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1) / GLOBAL_PER_SECOND;

    private static final class Entry {
        long notBefore;
        long backoff = FIRST_BACKOFF_NANOS;
        boolean handshaken;
    }

    private final Map<String, Entry> byAddress = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_REMEMBERED && !eldest.getValue().handshaken;
        }
    };
    private long globalEarliestToken = System.nanoTime() - GLOBAL_INTERVAL_NANOS * GLOBAL_BURST;
    /** Dials this budget allowed, for tests and status. */
    final AtomicLong dialsAllowed = new AtomicLong();
    /** Dials it put off. */
    final AtomicLong dialsDeferred = new AtomicLong();

    /**
     * Asks to dial a discovered {@code address} now; when allowed, the attempt is charged.
     *
     * @return 0 when the dial may go now, else the nanoseconds to wait before asking again
     */
    long reserve(String address, long now) {
        Entry entry = byAddress.computeIfAbsent(address, a -> {
            Entry e = new Entry();
            e.notBefore = now;
            return e;
        });
        if (entry.handshaken) {
            dialsAllowed.incrementAndGet();
            return 0;
        }
        long wait = entry.notBefore - now;
        if (wait > 0) {
            dialsDeferred.incrementAndGet();
            return wait;
        }
        long floor = now - GLOBAL_INTERVAL_NANOS * GLOBAL_BURST;
        if (globalEarliestToken < floor) {
            globalEarliestToken = floor;
        }
        long globalWait = globalEarliestToken - now;
        if (globalWait > 0) {
            dialsDeferred.incrementAndGet();
            return globalWait;
        }
        globalEarliestToken += GLOBAL_INTERVAL_NANOS;
        entry.notBefore = now + entry.backoff;
        entry.backoff = Math.min(entry.backoff * 2, MAX_BACKOFF_NANOS);
        dialsAllowed.incrementAndGet();
        return 0;
    }

    /** {@code address} completed a handshake: from now on it is retried as mesh retries. */
    void handshaken(String address) {
        byAddress.computeIfAbsent(address, a -> new Entry()).handshaken = true;
    }

    /** @return whether {@code address} once completed a handshake */
    boolean wasHandshaken(String address) {
        Entry entry = byAddress.get(address);
        return entry != null && entry.handshaken;
    }
}
