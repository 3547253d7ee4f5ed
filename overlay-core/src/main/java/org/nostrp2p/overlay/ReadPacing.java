package org.nostrp2p.overlay;

import io.netty.channel.Channel;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When one connection is read: the part of a {@link Connection} that turns its channel's
 * automatic reading on and off, so that neither a fast sender nor a neighbour over its budget
 * can make this peer queue work without bound; TCP pushes back on the sender instead. Two
 * reasons stop reading: more than {@link #MAX_UNHANDLED} of its messages wait to be handled
 * ({@link #process}), and a pause for going over the neighbour's budget
 * ({@link #backPressure}); a neighbour too far over is cut instead. Reading is only ever
 * switched on while the connection is registered ({@link Link#active}).
 *
 * <p>Thread-safe: {@link #process} and {@link #backPressure} may be called from any thread; the
 * switch itself, {@link #update}, runs on the channel's event loop.
 */
final class ReadPacing {

    /** Above this many unhandled messages, stop reading from the connection until its gossipers catch up. */
    static final int MAX_UNHANDLED = 64;

    /** The connection as its pacing sees it. */
    interface Link {
        /** @return whether the connection is registered and its frames are read; event loop only */
        boolean active();

        /**
         * Cuts the neighbour for going over its {@code budgetName} budget: suspends its name and
         * closes the connection. Called at most once.
         */
        void cut(String budgetName);
    }

    private final Channel channel;
    private final NeighbourBudget budget;
    private final RouterCounters counters;
    private final Link link;
    /** Messages from this connection handed to gossipers and not yet handled. */
    private final AtomicInteger unhandled = new AtomicInteger();
    /**
     * Set once this neighbour is cut for going over its budget: what it sent before the cut is
     * dropped, not charged, and it is not suspended again.
     */
    private final AtomicBoolean cut = new AtomicBoolean();
    // Event loop only: not read until pausedUntil, for going over the budget.
    private boolean paused;
    private long pausedUntil;

    ReadPacing(Channel channel, NeighbourBudget budget, RouterCounters counters, Link link) {
        this.channel = channel;
        this.budget = budget;
        this.counters = counters;
        this.link = link;
    }

    /**
     * Runs {@code task} (the handling of a message that came on this connection) on
     * {@code executor}. While more than {@link #MAX_UNHANDLED} are waiting, the connection is
     * not read.
     */
    void process(Executor executor, Runnable task) {
        if (unhandled.incrementAndGet() == MAX_UNHANDLED + 1) {
            channel.eventLoop().execute(this::update);
        }
        executor.execute(() -> {
            try {
                task.run();
            } finally {
                if (unhandled.decrementAndGet() == MAX_UNHANDLED / 4) {
                    channel.eventLoop().execute(this::update);
                }
            }
        });
    }

    /**
     * Event loop only: reads while the connection is active, not too far ahead of the
     * gossipers, and not paused for going over the neighbour's budget.
     */
    void update() {
        if (paused && System.nanoTime() - pausedUntil >= 0) {
            paused = false;
        }
        if (link.active()) {
            channel.config().setAutoRead(unhandled.get() <= MAX_UNHANDLED && !paused);
        }
    }

    /**
     * Beyond mesh: this neighbour went over its budget by {@code requestedNanos} of refill (see
     * {@link NeighbourBudget}): stop reading it that long, or, past
     * {@link NeighbourBudget#MAX_PAUSE_NANOS} or when it is persistently over, cut it (with
     * {@code mayDisconnect}; without, only slow it, the pause capped).
     *
     * @return false when the connection is being cut (now or before)
     */
    boolean backPressure(long requestedNanos, String budgetName, boolean mayDisconnect) {
        if (cut.get()) {
            return false; // frames read before the cut: dropped, not charged, not suspended again
        }
        if (requestedNanos <= 0) {
            return true;
        }
        counters.backPressurePauses.increment();
        long pauseNanos = mayDisconnect ? requestedNanos : Math.min(requestedNanos, NeighbourBudget.MAX_PAUSE_NANOS);
        if (mayDisconnect && (pauseNanos > NeighbourBudget.MAX_PAUSE_NANOS || budget.persistentlyOver(System.nanoTime()))) {
            if (cut.compareAndSet(false, true)) {
                link.cut(budgetName);
            }
            return false;
        }
        channel.eventLoop().execute(() -> {
            long until = System.nanoTime() + pauseNanos;
            if (!paused || until - pausedUntil > 0) {
                pausedUntil = until;
            }
            paused = true;
            update();
            channel.eventLoop().schedule(this::update, pauseNanos, TimeUnit.NANOSECONDS);
        });
        return true;
    }
}
