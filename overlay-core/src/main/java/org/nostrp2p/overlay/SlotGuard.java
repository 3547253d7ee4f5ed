package org.nostrp2p.overlay;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Beyond mesh: keeps connection slots from being hoarded.
 * <ul>
 *   <li>An accepted connection must complete its handshake (intro and features) within
 *       {@link #HANDSHAKE_DEADLINE_MILLIS}; at most {@link #MAX_HANDSHAKING} accepted connections
 *       are in their handshake at once, at most {@link #MAX_HANDSHAKING_PER_ADDRESS} from one
 *       address (loopback and trusted subnets exempt), and a new one past either bound closes the
 *       oldest of that address (or of all).
 *       An honest peer completes its handshake in a round trip, so silent connections cannot
 *       keep it out; mesh instead paces accepts (100, then 10 a second), which let 50 silent
 *       connects a second queue an honest peer out for a minute.</li>
 *   <li>Past half the connection limit, an inbound peer is refused when its address already
 *       holds {@link #MAX_PER_ADDRESS_PAST_HALF} connections (loopback and trusted subnets
 *       exempt: one host running many peers is a test or a benchmark).</li>
 *   <li>The last {@link #RESERVED_SHARE_DIVISOR}th of the connection limit is kept for peers this
 *       peer knew (had a connection with before); new names are refused there.</li>
 * </ul>
 * Thread-safe.
 */
final class SlotGuard {

    static final long HANDSHAKE_DEADLINE_MILLIS = 5_000;
    static final int MAX_HANDSHAKING = 128;
    static final int MAX_HANDSHAKING_PER_ADDRESS = 8;
    static final int MAX_PER_ADDRESS_PAST_HALF = 4;
    static final int RESERVED_SHARE_DIVISOR = 4;
    static final int MAX_KNOWN = 4_096;

    private final Deque<Connection> handshaking = new ArrayDeque<>();
    private final Map<String, Integer> handshakingByHost = new HashMap<>();
    private final Map<PeerName, Boolean> known = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerName, Boolean> eldest) {
            return size() > MAX_KNOWN;
        }
    };
    private final RateLimitedLog log = new RateLimitedLog(org.slf4j.LoggerFactory.getLogger(SlotGuard.class));
    private final RouterCounters counters;

    /** @param counters where the connections it closes are counted */
    SlotGuard(RouterCounters counters) {
        this.counters = counters;
    }

    /**
     * An inbound connection was accepted: it enters the handshake pool, perhaps closing the oldest there.
     *
     * @param exempt whether its address is exempt from the per-address bound (loopback and trusted
     *               subnets: a hundred peers on one host joining one seed at once all hand-shake
     *               from one address; the pool's overall bound still holds)
     */
    void accepted(Connection connection, boolean exempt) {
        Connection evicted = null;
        String host = PeerAddress.hostOf(connection.remoteTcpAddr);
        synchronized (this) {
            if (!exempt && handshakingByHost.getOrDefault(host, 0) >= MAX_HANDSHAKING_PER_ADDRESS) {
                for (Connection c : handshaking) {
                    if (host != null && host.equals(PeerAddress.hostOf(c.remoteTcpAddr))) {
                        evicted = c;
                        break;
                    }
                }
            } else if (handshaking.size() >= MAX_HANDSHAKING) {
                evicted = handshaking.peekFirst();
            }
            if (evicted != null) {
                remove(evicted);
            }
            handshaking.addLast(connection);
            handshakingByHost.merge(host, 1, Integer::sum);
        }
        if (evicted != null) {
            log.info("handshake-evicted", "->[{}] closed before its handshake: too many connections in their handshake",
                    evicted.remoteTcpAddr);
            evicted.failQuietly("too many connections in their handshake; this was the oldest");
            counters.handshakesEvicted.increment();
        }
        connection.channel.eventLoop().schedule(() -> {
            if (inHandshake(connection)) {
                done(connection);
                log.info("handshake-deadline", "->[{}] no handshake within {} ms", connection.remoteTcpAddr,
                        HANDSHAKE_DEADLINE_MILLIS);
                connection.failQuietly("no handshake within " + HANDSHAKE_DEADLINE_MILLIS + " ms");
                counters.handshakesTimedOut.increment();
            }
        }, HANDSHAKE_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** {@code connection}'s handshake completed, or it closed: it leaves the pool. */
    synchronized void done(Connection connection) {
        remove(connection);
    }

    private synchronized boolean inHandshake(Connection connection) {
        return handshaking.contains(connection);
    }

    private void remove(Connection connection) {
        for (Iterator<Connection> it = handshaking.iterator(); it.hasNext(); ) {
            if (it.next() == connection) {
                it.remove();
                String host = PeerAddress.hostOf(connection.remoteTcpAddr);
                handshakingByHost.computeIfPresent(host, (h, n) -> n <= 1 ? null : n - 1);
                return;
            }
        }
    }

    /** {@code name} has had a registered connection with this peer: it is known from now on. */
    synchronized void established(PeerName name) {
        known.put(name, Boolean.TRUE);
    }

    synchronized boolean known(PeerName name) {
        return known.containsKey(name);
    }

    /**
     * @param connection  an inbound connection about to be registered
     * @param connections the connections registered now
     * @param limit       the connection limit (0: none)
     * @param exempt      whether its address is exempt from the per-address rule
     * @return why it is refused, or null to register it
     */
    String refusal(Connection connection, Collection<Connection> connections, int limit, boolean exempt) {
        if (connection.outbound || limit <= 0) {
            return null;
        }
        int count = connections.size();
        PeerName name = connection.remoteName();
        int reserved = limit / RESERVED_SHARE_DIVISOR;
        if (reserved > 0 && count >= limit - reserved && count < limit && !known(name)) {
            return "the last " + reserved + " connection slots are kept for peers this peer knew";
        }
        if (!exempt && count >= limit / 2) {
            String host = PeerAddress.hostOf(connection.remoteTcpAddr);
            int fromHost = 0;
            for (Connection c : connections) {
                if (host != null && host.equals(PeerAddress.hostOf(c.remoteTcpAddr))) {
                    fromHost++;
                }
            }
            if (fromHost >= MAX_PER_ADDRESS_PAST_HALF) {
                return "past half the connection limit, " + host + " already holds " + fromHost + " connections";
            }
        }
        return null;
    }
}
