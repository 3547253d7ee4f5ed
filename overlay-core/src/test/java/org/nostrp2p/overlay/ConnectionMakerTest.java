package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connection maker's retry schedule, as mesh's connection_maker.go. */
class ConnectionMakerTest {

    @Test
    void retriesStartAtTwoSecondsAndGrowByHalfUpToSixMinutesWithJitter() {
        ConnectionMaker.Target target = new ConnectionMaker.Target();
        target.nextTryNow();
        long interval = TimeUnit.SECONDS.toNanos(2);
        for (int attempt = 0; attempt < 30; attempt++) {
            long before = System.nanoTime();
            target.nextTryLater();
            long wait = target.tryAfter - before;
            assertTrue(wait >= interval / 2 - TimeUnit.MILLISECONDS.toNanos(5) && wait <= interval / 2 + interval,
                    "attempt " + attempt + ": waits " + wait + " ns for interval " + interval);
            interval = Math.min(interval * 3 / 2, TimeUnit.MINUTES.toNanos(6));
            assertEquals(interval, target.tryInterval);
        }
        assertEquals(TimeUnit.MINUTES.toNanos(6), target.tryInterval);
        target.nextTryNever();
        assertNull(target.tryAfter);
    }
}
