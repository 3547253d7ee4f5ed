package org.nostrp2p.overlay;

/**
 * How long a broadcast announced by a neighbour's have may take to come by the tree before
 * {@link BroadcastRepair} asks for it. A fixed wait fits one network only: on loopback a tree
 * copy is late by a millisecond or two, so a router the tree missed waited 100 ms for nothing
 * (a 100-router chain's broadcast took 119–144 ms instead of ~50 in a third of its runs); between
 * servers on the internet a tree copy is often tens of milliseconds behind a have, and every ask
 * made too soon has the message sent twice. So the wait follows how late tree copies come after
 * the have that announced them, as TCP's retransmission timer follows round trips (RFC 6298):
 * the smoothed lateness plus four times its mean deviation, within bounds; until a first tree
 * copy comes late, the initial wait. Not thread-safe (guarded by its {@link BroadcastRepair}).
 */
final class RepairWait {

    private final long initialNanos;
    private final long minNanos;
    private final long maxNanos;
    private boolean measured;
    private long smoothedNanos;
    private long deviationNanos;

    /**
     * @param initialNanos the wait before any tree copy has come after its have
     * @param minNanos     the shortest wait, however punctual the tree
     * @param maxNanos     the longest wait, however late the tree
     */
    RepairWait(long initialNanos, long minNanos, long maxNanos) {
        if (minNanos <= 0 || minNanos > initialNanos || initialNanos > maxNanos) {
            throw new IllegalArgumentException("want 0 < min <= initial <= max: " + minNanos + ", " + initialNanos + ", " + maxNanos);
        }
        this.initialNanos = initialNanos;
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
    }

    /** A message came by the tree {@code lateNanos} after the first have that announced it. */
    void treeCopyLate(long lateNanos) {
        long late = Math.max(0, Math.min(lateNanos, maxNanos));
        if (!measured) {
            measured = true;
            smoothedNanos = late;
            deviationNanos = late / 2;
            return;
        }
        deviationNanos += (Math.abs(smoothedNanos - late) - deviationNanos) / 4;
        smoothedNanos += (late - smoothedNanos) / 8;
    }

    /** @return how long to wait now for a message just announced */
    long nanos() {
        if (!measured) {
            return initialNanos;
        }
        return Math.max(minNanos, Math.min(maxNanos, smoothedNanos + 4 * deviationNanos));
    }
}
