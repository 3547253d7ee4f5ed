package org.nostrp2p.store;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.model.EventLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store within its window: at most {@code maxEvents} events of any kind and, when
 * set, none older than {@code maxAge} (by {@code created_at}). Protected, never evicted: the
 * owner's events, the events of the authors the owner's newest follow list names (their
 * profiles included), and the events whose p tags name the owner (replies, mentions, likes
 * addressed to the owner); the store may hold more than {@code maxEvents} when those alone
 * exceed it. Everyone else shares the rest, with a per-author cap.
 *
 * <p>Over the cap, eviction takes first unprotected events dated more than
 * {@link EventLimits#MAX_FUTURE_SECONDS} ahead (furthest first: post-dating must not make spam
 * the last to go), then the oldest events of the unprotected author holding most beyond
 * {@code perAuthorCap} (so 100,000 events from one key cannot push out everyone else's), then
 * the oldest ({@code created_at} ascending, then id descending: the reverse of query order),
 * in transactions of at most {@code batchSize} deletions, each queued
 * behind the writes waiting, so puts are never held up for long. In the background it runs on
 * its own thread every {@code interval} and as soon as a commit takes the store a batch over
 * its cap.
 */
final class Retention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final long maxEvents;
    private final long perAuthorCap;
    private final Duration maxAge;
    private final Clock clock;
    private final int batchSize;
    private final AtomicLong count;
    private final String label;
    private final ScheduledExecutorService background;
    private final AtomicBoolean runQueued = new AtomicBoolean();
    /**
     * When a run ends over the cap, only never-evicted events are left: commits do not start
     * another run until the store has grown a batch beyond that, so a store whose protected
     * events exceed the cap does not scan for victims after every commit.
     */
    private volatile long quietUntilCount;
    private volatile Writer writer;
    /** Set in a run once no unprotected author exceeds its cap: the scan for one is not repeated every batch. */
    private boolean noCrowdedAuthor;

    /**
     * @param interval how often to run in the background, or {@code null} for never (then only
     *                 {@link #enforce()} evicts)
     */
    Retention(long maxEvents, long perAuthorCap, Duration maxAge, Clock clock, int batchSize, Duration interval,
              AtomicLong count, String label) {
        this.maxEvents = maxEvents;
        this.perAuthorCap = perAuthorCap;
        this.maxAge = maxAge;
        this.clock = clock;
        this.batchSize = batchSize;
        this.count = count;
        this.label = label;
        this.background = interval == null ? null : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nostrp2p-store-retention");
            thread.setDaemon(true);
            return thread;
        });
        if (background != null) {
            long millis = Math.max(1, interval.toMillis());
            background.scheduleWithFixedDelay(this::periodically, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    void start(Writer writer) {
        this.writer = writer;
    }

    /**
     * After each commit, on the writer thread: start evicting once the cap is exceeded by a
     * batch. Evicting a batch at a time, rather than one event after each put at the cap,
     * keeps eviction from doubling the transactions; the cap may be exceeded by up to a batch
     * until that run.
     */
    void afterCommit() {
        long now = count.get();
        if (background != null && !background.isShutdown() && now >= maxEvents + batchSize && now > quietUntilCount
                && runQueued.compareAndSet(false, true)) {
            background.execute(() -> {
                runQueued.set(false);
                enforceInBackground();
            });
        }
    }

    /**
     * Evicts until the store is within its window (or only protected events remain).
     *
     * @return how many events were evicted
     */
    long enforce() {
        noCrowdedAuthor = false;
        long evicted = 0;
        int batch;
        do {
            batch = writer.execute(this::evictBatch);
            evicted += batch;
        } while (batch > 0);
        long left = count.get();
        quietUntilCount = left > maxEvents ? left + batchSize : 0;
        if (evicted > 0) {
            LOG.debug("Evicted {} events from {}; {} remain", evicted, label, count.get());
        }
        return evicted;
    }

    /** The periodic run: eviction, then fresh planner statistics if SQLite finds them stale. */
    private void periodically() {
        enforceInBackground();
        try {
            writer.execute(session -> {
                session.optimize();
                return null;
            });
        } catch (StoreException e) {
            LOG.warn("Refreshing the query statistics of {} failed; will retry: {}", label, e.getMessage());
        }
    }

    private void enforceInBackground() {
        try {
            enforce();
        } catch (StoreException e) {
            LOG.warn("Evicting old events from {} failed; will retry: {}", label, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Evicting old events from {} failed", label, e);
        }
    }

    private int evictBatch(WriteSession session) throws SQLException {
        if (maxAge != null) {
            long cutoff = clock.instant().getEpochSecond() - maxAge.getSeconds();
            int evicted = session.evictOldest(cutoff, batchSize);
            if (evicted > 0) {
                return evicted;
            }
        }
        long excess = session.count() - maxEvents;
        if (excess <= 0) {
            return 0;
        }
        int n = (int) Math.min(excess, batchSize);
        int evicted = session.evictFuture(clock.instant().getEpochSecond() + EventLimits.MAX_FUTURE_SECONDS, n);
        if (evicted > 0) {
            return evicted;
        }
        if (!noCrowdedAuthor) {
            evicted = session.evictCrowdedAuthor(perAuthorCap, n);
            if (evicted > 0) {
                return evicted;
            }
            // Evicting others' events never pushes an author over the cap, so it stays false this run.
            noCrowdedAuthor = true;
        }
        return session.evictOldest(null, n);
    }

    @Override
    public void close() {
        if (background != null) {
            background.shutdownNow();
            try {
                background.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
