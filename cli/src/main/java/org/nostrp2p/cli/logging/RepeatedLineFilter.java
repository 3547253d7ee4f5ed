package org.nostrp2p.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * A Logback turbo filter that keeps any one line from flooding the log: each logger and message
 * pattern may log {@link #setLinesPerMinute linesPerMinute} lines a minute, and one line a
 * minute with a stack trace per exception class (INFO and above; DEBUG and TRACE, which an
 * operator turns on, pass); the rest are dropped
 * and counted, and the first line let through in the next minute is preceded by one saying
 * how many were dropped. This is what stops an accept loop out of file descriptors (Netty's
 * "Failed to create a new channel from an accepted socket", XNIO's and Undertow's own) from
 * writing gigabytes, and keeps every other repeated warning to a few lines a minute.
 *
 * <p>At most {@link #MAX_KEYS} lines are tracked; past that, stale ones are forgotten and
 * new ones share one budget. Thread-safe; a dropped line costs a map lookup.
 *
 * <pre>{@code
 * <turboFilter class="org.nostrp2p.cli.logging.RepeatedLineFilter">
 *   <linesPerMinute>5</linesPerMinute>
 * </turboFilter>
 * }</pre>
 */
public final class RepeatedLineFilter extends TurboFilter {

    /** Lines tracked at once. */
    static final int MAX_KEYS = 2048;
    /** Lines per minute per key unless configured. */
    public static final int DEFAULT_LINES_PER_MINUTE = 5;

    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final Key SHARED = new Key("(many)", "(many different lines)", null);
    private static final ThreadLocal<Boolean> REPORTING = ThreadLocal.withInitial(() -> false);

    private record Key(String logger, String format, Class<?> thrown) {
    }

    private static final class Window {
        long openedAt;
        int passed;
        long dropped;

        Window(long openedAt) {
            this.openedAt = openedAt;
        }
    }

    private final Map<Key, Window> windows = new ConcurrentHashMap<>();
    private int linesPerMinute = DEFAULT_LINES_PER_MINUTE;
    private LongSupplier nanoClock = System::nanoTime;

    /** How many lines each logger, pattern and exception class may log a minute. */
    public void setLinesPerMinute(int linesPerMinute) {
        if (linesPerMinute < 1) {
            throw new IllegalArgumentException("linesPerMinute must be at least 1, got " + linesPerMinute);
        }
        this.linesPerMinute = linesPerMinute;
    }

    /** For tests: a clock to move by hand. */
    void setNanoClock(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // format is null when a library asks isWarnEnabled(): that is not a line.
        if (format == null || level == null || !level.isGreaterOrEqual(Level.INFO)
                || !level.isGreaterOrEqual(logger.getEffectiveLevel()) || REPORTING.get()) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t;
        if (thrown == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
            thrown = last;
        }
        Key key = new Key(logger.getName(), format, thrown == null ? null : thrown.getClass());
        long now = nanoClock.getAsLong();
        Window window = windows.get(key);
        if (window == null) {
            if (windows.size() >= MAX_KEYS) {
                forgetStale(now);
                if (windows.size() >= MAX_KEYS) {
                    key = SHARED;
                }
            }
            window = windows.computeIfAbsent(key, k -> new Window(now));
        }
        long droppedBefore;
        synchronized (window) {
            if (now - window.openedAt >= MINUTE_NANOS) {
                droppedBefore = window.dropped;
                window.openedAt = now;
                window.passed = 0;
                window.dropped = 0;
            } else {
                droppedBefore = 0;
            }
            // A stack trace is long: one a minute tells the operator as much as five.
            if (window.passed >= (key.thrown() == null ? linesPerMinute : 1)) {
                window.dropped++;
                return FilterReply.DENY;
            }
            window.passed++;
        }
        if (droppedBefore > 0) {
            REPORTING.set(true);
            try {
                logger.warn("{} more lines like the next one (from {}) were dropped in the last minute", droppedBefore, key.logger());
            } finally {
                REPORTING.set(false);
            }
        }
        return FilterReply.NEUTRAL;
    }

    private void forgetStale(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            synchronized (window) {
                if (now - window.openedAt >= MINUTE_NANOS) {
                    it.remove();
                }
            }
        }
    }
}
