package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that was offline asks the overlay for recent events (a kind 40000 broadcast; every
 * server answers with its last days' events). The overlay needs a moment to connect, so it
 * asks a few times after start (and, while no peer is reachable, as soon as one is), until
 * some server answered.
 */
final class CatchUp {

    /** When to ask, counted from start. */
    static final List<Duration> ATTEMPTS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4),
            Duration.ofSeconds(12), Duration.ofSeconds(40));

    /** While no peer is reachable, look again this often... */
    static final Duration PEER_POLL = Duration.ofSeconds(2);
    /** ...for this long after start. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    private final PacketSender sender;
    private final Overlay overlay;
    private final RecentIds ownRequests;
    private final BooleanSupplier answered;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Instant start;
    private final AtomicBoolean waitingForPeers = new AtomicBoolean();
    private final Runnable asked;

    CatchUp(PacketSender sender, Overlay overlay, RecentIds ownRequests, BooleanSupplier answered,
            ScheduledExecutorService scheduler, Clock clock) {
        this(sender, overlay, ownRequests, answered, scheduler, clock, () -> { });
    }

    /** @param asked told each time the request is broadcast (answers are then expected) */
    CatchUp(PacketSender sender, Overlay overlay, RecentIds ownRequests, BooleanSupplier answered,
            ScheduledExecutorService scheduler, Clock clock, Runnable asked) {
        this.asked = asked;
        this.sender = sender;
        this.overlay = overlay;
        this.ownRequests = ownRequests;
        this.answered = answered;
        this.scheduler = scheduler;
        this.clock = clock;
        this.start = clock.instant();
    }

    void schedule(List<Duration> attempts) {
        for (Duration delay : attempts) {
            scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Asks now, unless an answer came; while no peer is reachable, looks again every
     * {@link #PEER_POLL} for up to {@link #GIVE_UP_AFTER} instead.
     */
    void attempt() {
        if (answered.getAsBoolean()) {
            return;
        }
        if (overlay.reachablePeers() == 0) {
            if (Duration.between(start, clock.instant()).compareTo(GIVE_UP_AFTER) < 0 && waitingForPeers.compareAndSet(false, true)) {
                scheduler.schedule(() -> {
                    waitingForPeers.set(false);
                    attempt();
                }, PEER_POLL.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        asked.run();
        long id = sender.broadcastRecentEventsRequest();
        ownRequests.firstSeen(id);
        LOG.debug("Asked the overlay for recent events (request {})", Long.toUnsignedString(id));
    }
}
