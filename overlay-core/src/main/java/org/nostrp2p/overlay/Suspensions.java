package org.nostrp2p.overlay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Beyond mesh: peer names disconnected for going over their {@link NeighbourBudget}, refused
 * for a while: {@link #FIRST_NANOS} the first time, doubling each time up to {@link #MAX_NANOS}.
 * Keyed by name, not address (many honest peers may share one address, behind a NAT or on one
 * host); a name is cheap to change, which the connection slot rules bound. Bounded
 * (least recently suspended forgotten). Thread-safe.
 */
final class Suspensions {

    static final long FIRST_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int MAX_REMEMBERED = 4_096;

    private record Suspension(long until, long length) {
    }

    private final Map<PeerName, Suspension> byName = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerName, Suspension> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /** Suspends {@code name}; @return for how many nanoseconds */
    synchronized long suspend(PeerName name) {
        long now = System.nanoTime();
        Suspension previous = byName.get(name);
        long length = previous == null ? FIRST_NANOS : Math.min(previous.length * 2, MAX_NANOS);
        byName.put(name, new Suspension(now + length, length));
        return length;
    }

    /** @return whether {@code name} is suspended now */
    synchronized boolean suspended(PeerName name) {
        Suspension s = byName.get(name);
        return s != null && s.until - System.nanoTime() > 0;
    }
}
