package org.nostrp2p.rest;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logging an attacker cannot flood: at most one line per {@code interval} for each cause and
 * source (e.g. "refused: too many connections" from 192.0.2.7); the lines held back are
 * counted and the next line that passes says how many there were. When more than
 * {@code maxSources} sources log the same cause (spoofed or many addresses), they are
 * counted together under that cause, so the log stays bounded however many sources there are.
 *
 * <pre>{@code
 * private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, Duration.ofMinutes(1), 1000);
 * REFUSALS.warn("too many connections", address, "Refused a connection from {}: {} open", address, open);
 * }</pre>
 *
 * <p>Thread-safe; a call that is held back costs a map lookup and an increment.
 */
public final class RateLimitedLog {

    /** One line a minute per cause and source: the default of {@link #RateLimitedLog(Logger)}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** Sources tracked per logger before they are counted together: the default of {@link #RateLimitedLog(Logger)}. */
    public static final int DEFAULT_MAX_SOURCES = 1024;

    private static final String ANY_SOURCE = "*";

    private static final class Window {
        long openedAt;
        long suppressed;

        Window(long openedAt) {
            this.openedAt = openedAt;
        }
    }

    private final Logger logger;
    private final long intervalNanos;
    private final int maxSources;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** A log of one line a minute per cause and source, over {@code logger}. */
    public RateLimitedLog(Logger logger) {
        this(logger, DEFAULT_INTERVAL, DEFAULT_MAX_SOURCES);
    }

    /**
     * @param logger     where lines go
     * @param interval   at most one line per cause and source in this time
     * @param maxSources sources tracked before they are counted together per cause
     */
    public RateLimitedLog(Logger logger, Duration interval, int maxSources) {
        this(logger, interval, maxSources, System::nanoTime);
    }

    RateLimitedLog(Logger logger, Duration interval, int maxSources, LongSupplier nanoClock) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.maxSources = maxSources;
        this.nanoClock = nanoClock;
    }

    /** Logs at WARN unless this cause and source logged within the interval. */
    public void warn(String cause, Object source, String format, Object... arguments) {
        if (logger.isWarnEnabled()) {
            long suppressed = admit(cause, source);
            if (suppressed >= 0) {
                logger.warn(withCount(format, suppressed), arguments);
            }
        }
    }

    /** Logs at INFO unless this cause and source logged within the interval. */
    public void info(String cause, Object source, String format, Object... arguments) {
        if (logger.isInfoEnabled()) {
            long suppressed = admit(cause, source);
            if (suppressed >= 0) {
                logger.info(withCount(format, suppressed), arguments);
            }
        }
    }

    /** Logs at DEBUG unless this cause and source logged within the interval. */
    public void debug(String cause, Object source, String format, Object... arguments) {
        if (logger.isDebugEnabled()) {
            long suppressed = admit(cause, source);
            if (suppressed >= 0) {
                logger.debug(withCount(format, suppressed), arguments);
            }
        }
    }

    /** @return -1 when the line is held back, else how many were held back since the last line */
    private long admit(String cause, Object source) {
        long now = nanoClock.getAsLong();
        String key = cause + '\u0000' + source;
        Window window = windows.get(key);
        if (window == null) {
            if (windows.size() >= maxSources) {
                forgetOlderThan(now);
                if (windows.size() >= maxSources) {
                    key = cause + '\u0000' + ANY_SOURCE;
                }
            }
            Window fresh = new Window(now);
            window = windows.putIfAbsent(key, fresh);
            if (window == null) {
                return 0;
            }
        }
        synchronized (window) {
            if (now - window.openedAt < intervalNanos) {
                window.suppressed++;
                return -1;
            }
            long suppressed = window.suppressed;
            window.openedAt = now;
            window.suppressed = 0;
            return suppressed;
        }
    }

    private void forgetOlderThan(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            synchronized (window) {
                if (now - window.openedAt >= intervalNanos) {
                    it.remove();
                }
            }
        }
    }

    private static String withCount(String format, long suppressed) {
        return suppressed == 0 ? format : format + " (" + suppressed + " more like it held back)";
    }
}
