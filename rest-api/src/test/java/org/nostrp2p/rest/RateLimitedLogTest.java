package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

/** One line a minute per cause and source, with a count of what was held back. */
class RateLimitedLogTest {

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final RateLimitedLog log = new RateLimitedLog(recordingLogger(), Duration.ofMinutes(1), 3, clock::get);

    private org.slf4j.Logger recordingLogger() {
        return new org.slf4j.helpers.MarkerIgnoringBase() {
            @Override public String getName() { return "test"; }
            @Override public boolean isTraceEnabled() { return false; }
            @Override public void trace(String msg) { }
            @Override public void trace(String format, Object arg) { }
            @Override public void trace(String format, Object arg1, Object arg2) { }
            @Override public void trace(String format, Object... arguments) { }
            @Override public void trace(String msg, Throwable t) { }
            @Override public boolean isDebugEnabled() { return false; }
            @Override public void debug(String msg) { }
            @Override public void debug(String format, Object arg) { }
            @Override public void debug(String format, Object arg1, Object arg2) { }
            @Override public void debug(String format, Object... arguments) { }
            @Override public void debug(String msg, Throwable t) { }
            @Override public boolean isInfoEnabled() { return true; }
            @Override public void info(String msg) { lines.add(msg); }
            @Override public void info(String format, Object arg) { info(format, new Object[] {arg}); }
            @Override public void info(String format, Object arg1, Object arg2) { info(format, new Object[] {arg1, arg2}); }
            @Override public void info(String format, Object... arguments) { lines.add(MessageFormatter.arrayFormat(format, arguments).getMessage()); }
            @Override public void info(String msg, Throwable t) { lines.add(msg); }
            @Override public boolean isWarnEnabled() { return true; }
            @Override public void warn(String msg) { info(msg); }
            @Override public void warn(String format, Object arg) { info(format, arg); }
            @Override public void warn(String format, Object... arguments) { info(format, arguments); }
            @Override public void warn(String format, Object arg1, Object arg2) { info(format, arg1, arg2); }
            @Override public void warn(String msg, Throwable t) { info(msg); }
            @Override public boolean isErrorEnabled() { return true; }
            @Override public void error(String msg) { info(msg); }
            @Override public void error(String format, Object arg) { info(format, arg); }
            @Override public void error(String format, Object arg1, Object arg2) { info(format, arg1, arg2); }
            @Override public void error(String format, Object... arguments) { info(format, arguments); }
            @Override public void error(String msg, Throwable t) { info(msg); }
        };
    }

    @Test
    void aFloodFromOneSourceLogsOneLineAMinuteAndThenSaysHowManyWereHeldBack() {
        for (int i = 0; i < 10_000; i++) {
            log.warn("bad packet", "peer-a", "Dropped a packet from {}", "peer-a");
        }
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        log.warn("bad packet", "peer-a", "Dropped a packet from {}", "peer-a");

        assertEquals(List.of("Dropped a packet from peer-a", "Dropped a packet from peer-a (9999 more like it held back)"), lines);
    }

    @Test
    void eachSourceAndCauseHasItsOwnLine() {
        log.warn("bad packet", "peer-a", "a");
        log.warn("bad packet", "peer-b", "b");
        log.warn("too busy", "peer-a", "c");

        assertEquals(List.of("a", "b", "c"), lines);
    }

    @Test
    void pastTheTrackedSourcesNewSourcesShareOneLinePerCause() {
        for (int i = 0; i < 1_000; i++) {
            log.warn("spoofed", "peer-" + i, "from {}", i);
        }

        assertTrue(lines.size() <= 4, lines.toString());
    }
}
