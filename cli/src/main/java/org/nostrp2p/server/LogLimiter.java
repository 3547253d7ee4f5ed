package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Rate-limits repeated log lines per cause: the first line of a cause is written, then at most
 * one a {@link #INTERVAL} carrying how many were left out since, so a peer that sends
 * a million bad packets costs a few lines of log, not a million. Bounded (the least recently
 * used causes are forgotten past {@link #MAX_CAUSES}); thread-safe.
 */
final class LogLimiter {

    /** At most one line per cause this often. */
    static final Duration INTERVAL = Duration.ofMinutes(1);
    /** Causes remembered; a cause forgotten logs its next line at once. */
    static final int MAX_CAUSES = 1024;

    private final Clock clock;
    private final Map<String, long[]> causes = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_CAUSES;
        }
    };

    LogLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Writes the line unless a line of the same cause was written within {@link #INTERVAL};
     * when lines were left out since, the line says how many.
     *
     * @param cause  what makes lines alike, e.g. "oversized event from 0a:0b:..."
     * @param format an SLF4J format
     * @return whether the line was written
     */
    boolean log(Logger logger, Level level, String cause, String format, Object... arguments) {
        long suppressed;
        synchronized (this) {
            long now = clock.millis();
            long[] state = causes.get(cause); // {last written at, left out since}
            if (state != null && now - state[0] < INTERVAL.toMillis()) {
                state[1]++;
                return false;
            }
            suppressed = state == null ? 0 : state[1];
            causes.put(cause, new long[] {now, 0});
        }
        String line = suppressed == 0 ? format : format + " (and " + suppressed + " more like it in the last minute)";
        logger.atLevel(level).log(line, arguments);
        return true;
    }
}
