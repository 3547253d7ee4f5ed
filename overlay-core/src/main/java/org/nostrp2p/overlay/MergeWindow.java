package org.nostrp2p.overlay;

import java.util.concurrent.TimeUnit;

/**
 * How long topology news waits for more to go in the same message ({@link TopologyNews}): the
 * usual window, or a longer one after a scheduled flush ran more than a threshold after it was
 * due (the router's thread runs behind: the CPU, not the wait, then delays news, and each flush
 * costs a message per neighbour). Confined to the router's actor thread; times are
 * {@link System#nanoTime()} values passed in, so the policy is tested without a clock.
 */
final class MergeWindow {

    private final long millis;
    private final long busyMillis;
    private final long lateNanos;
    private long dueNanos;
    private boolean busy;

    /**
     * @param millis     the window while flushes run on time
     * @param busyMillis the window after one ran late
     * @param lateNanos  how late a flush may run and still count as on time
     */
    MergeWindow(long millis, long busyMillis, long lateNanos) {
        this.millis = millis;
        this.busyMillis = busyMillis;
        this.lateNanos = lateNanos;
    }

    /** A flush is scheduled at {@code nowNanos}: @return its delay in milliseconds (it is due then). */
    long schedule(long nowNanos) {
        long window = busy ? busyMillis : millis;
        dueNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(window);
        return window;
    }

    /** The flush {@link #schedule} asked for runs at {@code nowNanos}; how late it is sets the next window. */
    void ran(long nowNanos) {
        busy = nowNanos - dueNanos > lateNanos;
    }

    /** @return whether the last scheduled flush ran late */
    boolean busy() {
        return busy;
    }
}
