package org.nostrp2p.overlay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Log lines an attacker cannot multiply: per cause, the first {@link #BURST} lines are written,
 * the repeats in the rest of that minute are only counted, and the first line after it is
 * written with that count ("… (and 4,312 more like this in the last 60 s)"). The causes remembered are bounded
 * (least recently used forgotten). The overlay's own copy of rest-api's class of the same
 * name (overlay-core does not depend on rest-api). Thread-safe.
 */
final class RateLimitedLog {

    /** One line per cause per this interval. */
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How many causes are remembered at once. */
    static final int MAX_CAUSES = 1_024;
    /** Lines of one cause written in a window before the rest are only counted. */
    static final int BURST = 5;

    private final Logger log;
    private final long intervalNanos;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_CAUSES;
        }
    };

    private static final class Window {
        long startNanos;
        int written;
        long suppressed;
    }

    RateLimitedLog(Logger log) {
        this(log, INTERVAL_NANOS);
    }

    RateLimitedLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Logs at INFO unless a line of the same {@code cause} was written less than a minute ago. */
    void info(String cause, String format, Object... args) {
        long suppressed = admit(cause);
        if (suppressed >= 0 && log.isInfoEnabled()) {
            log.info(suffixed(format, suppressed), args);
        }
    }

    /** Logs at WARN unless a line of the same {@code cause} was written less than a minute ago. */
    void warn(String cause, String format, Object... args) {
        long suppressed = admit(cause);
        if (suppressed >= 0) {
            log.warn(suffixed(format, suppressed), args);
        }
    }

    // -1: count it, write nothing; otherwise write, with how many were not written before it
    private synchronized long admit(String cause) {
        long now = System.nanoTime();
        Window window = windows.get(cause);
        if (window == null) {
            window = new Window();
            window.startNanos = now;
            window.written = 1;
            windows.put(cause, window);
            return 0;
        }
        if (now - window.startNanos < intervalNanos) {
            if (window.written < BURST) {
                window.written++;
                return 0;
            }
            window.suppressed++;
            return -1;
        }
        window.written = 1;
        long suppressed = window.suppressed;
        window.startNanos = now;
        window.suppressed = 0;
        return suppressed;
    }

    private String suffixed(String format, long suppressed) {
        return suppressed == 0 ? format
                : format + " (and " + suppressed + " more like this in the last "
                        + TimeUnit.NANOSECONDS.toSeconds(intervalNanos) + " s)";
    }
}
