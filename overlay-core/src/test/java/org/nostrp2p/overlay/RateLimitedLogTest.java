package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

    @Test
    void aThousandRepeatsOfOneCauseWriteAFewLinesAndTheNextWindowCountsTheRest() throws Exception {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("flood-test"), TimeUnit.MILLISECONDS.toNanos(300));
        try (LogCapture capture = new LogCapture()) {
            for (int i = 0; i < 1000; i++) {
                log.warn("same cause", "rlt-marker line {}", i);
            }
            assertEquals(RateLimitedLog.BURST, capture.linesContaining("rlt-marker").size());
            Thread.sleep(400); // the window is time itself
            log.warn("same cause", "rlt-marker line {}", 1000);
            var lines = capture.linesContaining("rlt-marker");
            assertEquals(RateLimitedLog.BURST + 1, lines.size());
            String last = lines.get(lines.size() - 1);
            assertTrue(last.contains((1000 - RateLimitedLog.BURST) + " more like this"), last);
        }
    }

    @Test
    void differentCausesAreCountedApart() {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("flood-test"));
        try (LogCapture capture = new LogCapture()) {
            for (int i = 0; i < 100; i++) {
                log.warn("cause a", "rlt-apart a");
                log.warn("cause b", "rlt-apart b");
            }
            assertEquals(RateLimitedLog.BURST, capture.linesContaining("rlt-apart a").size());
            assertEquals(RateLimitedLog.BURST, capture.linesContaining("rlt-apart b").size());
        }
    }
}
