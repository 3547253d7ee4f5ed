package org.nostrp2p.rest;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.LongSupplier;

/**
 * The process's file descriptors: how many are open and the limit, sampled at most every
 * {@link #SAMPLE_NANOS} (counting them reads {@code /proc/self/fd}), with connections
 * accepted since the last sample added. {@link #nearLimit()} says when fewer than the
 * reserve remain, so that a listener can refuse a connection before the store, the overlay
 * or the log fail to open a file. Thread-safe.
 */
final class FileDescriptors {

    /** How long a sample of the open count is trusted. */
    static final long SAMPLE_NANOS = 100_000_000L;

    private final LongSupplier openCount;
    private final LongSupplier maxCount;
    private final int reserve;
    private long sampledAt;
    private long sampledOpen;
    private long max;
    private long acceptedSinceSample;

    FileDescriptors(LongSupplier openCount, LongSupplier maxCount, int reserve) {
        this.openCount = openCount;
        this.maxCount = maxCount;
        this.reserve = reserve;
        this.sampledAt = System.nanoTime() - 2 * SAMPLE_NANOS;
    }

    /** @return this process's descriptors, or one that never nears a limit where the JVM cannot count them */
    static FileDescriptors ofThisProcess(int reserve) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return new FileDescriptors(unix::getOpenFileDescriptorCount, unix::getMaxFileDescriptorCount, reserve);
        }
        return new FileDescriptors(() -> 0, () -> Long.MAX_VALUE, reserve);
    }

    /** @return whether fewer than the reserve remain; counts one more descriptor as taken when not */
    synchronized boolean takeOne() {
        long now = System.nanoTime();
        if (now - sampledAt > SAMPLE_NANOS) {
            sampledOpen = openCount.getAsLong();
            max = maxCount.getAsLong();
            sampledAt = now;
            acceptedSinceSample = 0;
        }
        if (max - (sampledOpen + acceptedSinceSample) < reserve) {
            return false;
        }
        acceptedSinceSample++;
        return true;
    }

    /** @return the limit at the last sample */
    synchronized long limit() {
        return max;
    }
}
