package org.nostrp2p.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** A repeated line is written once a minute per cause, whatever the flood. */
class LogLimiterTest {

    private static final Logger LOG = LoggerFactory.getLogger(LogLimiterTest.class);

    private static final class SteppingClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void aFloodOfOneCauseWritesOneLineAMinuteAndOtherCausesTheirOwn() {
        SteppingClock clock = new SteppingClock();
        LogLimiter logs = new LogLimiter(clock);
        int written = 0;

        for (int i = 0; i < 100_000; i++) {
            clock.millis += 1; // 100 s of flood at 1,000 lines a second
            if (logs.log(LOG, Level.DEBUG, "malformed", "Dropped a malformed packet {}", i)) {
                written++;
            }
        }

        assertEquals(2, written, "one at the start, one after a minute");
        assertTrue(logs.log(LOG, Level.DEBUG, "forged", "another cause"));
        assertFalse(logs.log(LOG, Level.DEBUG, "forged", "another cause"));
    }
}
