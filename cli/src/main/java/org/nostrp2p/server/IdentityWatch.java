package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.model.Event;
import org.nostrp2p.overlay.PeerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices the same identity running on two servers: a packet whose source is this server's
 * own peer name, or a broadcast post by this server's own user that was not published here.
 * Says so in the log, at most once per {@link #REPEAT}. Thread-safe.
 */
final class IdentityWatch {

    static final Duration REPEAT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(IdentityWatch.class);

    private final Clock clock;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong warnings = new AtomicLong();

    IdentityWatch(Clock clock) {
        this.clock = clock;
    }

    void ownNameSeen(PeerName self) {
        warn("Received a packet from a peer named {} — this server's own name: another server is running with the same public key. "
                + "Run one server per key.", self);
    }

    void ownEventFromElsewhere(Event event, PeerName relayedBy) {
        warn("Received a post by this server's own user (id " + event.idHex() + ", broadcast by {}) that was not published here: "
                + "is the same identity running on another server too?", relayedBy);
    }

    /** @return how many times a second server with this identity was noticed */
    long warnings() {
        return warnings.get();
    }

    private void warn(String message, PeerName peer) {
        warnings.incrementAndGet();
        long now = clock.millis();
        long last = lastWarning.get();
        if (now - last >= REPEAT.toMillis() && lastWarning.compareAndSet(last, now)) {
            LOG.warn(message, peer);
        }
    }
}
