package org.nostrp2p.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that was offline asks the overlay for recent events (a kind 40000 broadcast; every
 * server answers with its last days' events). The overlay needs a moment to connect, so it
 * asks a few times after start, until some server answered.
 */
final class CatchUp {

    /** When to ask, counted from start. */
    static final List<Duration> ATTEMPTS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4),
            Duration.ofSeconds(12), Duration.ofSeconds(40));

    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    private final PacketSender sender;
    private final Overlay overlay;
    private final RecentIds ownRequests;
    private final BooleanSupplier answered;

    CatchUp(PacketSender sender, Overlay overlay, RecentIds ownRequests, BooleanSupplier answered) {
        this.sender = sender;
        this.overlay = overlay;
        this.ownRequests = ownRequests;
        this.answered = answered;
    }

    void schedule(ScheduledExecutorService scheduler, List<Duration> attempts) {
        for (Duration delay : attempts) {
            scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Asks now, unless an answer came or no peer is reachable. */
    void attempt() {
        if (answered.getAsBoolean() || overlay.reachablePeers() == 0) {
            return;
        }
        long id = sender.broadcastRecentEventsRequest();
        ownRequests.firstSeen(id);
        LOG.debug("Asked the overlay for recent events (request {})", Long.toUnsignedString(id));
    }
}
