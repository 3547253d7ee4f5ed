package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

    @Test
    void aThousandRepeatsOfOneCauseWriteOneLineAndTheNextWindowCountsThem() throws Exception {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("flood-test"), TimeUnit.MILLISECONDS.toNanos(300));
        try (LogCapture capture = new LogCapture()) {
            for (int i = 0; i < 1000; i++) {
                log.warn("same cause", "rlt-marker line {}", i);
            }
            assertEquals(1, capture.linesContaining("rlt-marker").size());
            Thread.sleep(400); // the window is time itself
            log.warn("same cause", "rlt-marker line {}", 1000);
            var lines = capture.linesContaining("rlt-marker");
            assertEquals(2, lines.size());
            assertTrue(lines.get(1).contains("999 more like this"), lines.get(1));
        }
    }

    @Test
    void differentCausesAreCountedApart() {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("flood-test"));
        try (LogCapture capture = new LogCapture()) {
            log.warn("cause a", "rlt-apart a");
            log.warn("cause b", "rlt-apart b");
            log.warn("cause a", "rlt-apart a");
            assertEquals(2, capture.linesContaining("rlt-apart").size());
        }
    }
}
