package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The merge window of topology news: the usual one, and a longer one while flushes run late. */
class MergeWindowTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MergeWindow window = new MergeWindow(TopologyNews.MERGE_MILLIS, TopologyNews.BUSY_MERGE_MILLIS,
            TopologyNews.LATE_NANOS);

    @Test
    void aFlushRunningLateLengthensTheNextWindowAndOneOnTimeShortensItAgain() {
        long now = 1_000 * MS;
        assertEquals(50, window.schedule(now), "a router starts with the usual window");

        window.ran(now + 50 * MS + 9 * MS); // 9 ms late: on time enough
        assertFalse(window.busy());
        now += 60 * MS;
        assertEquals(50, window.schedule(now));

        window.ran(now + 50 * MS + 11 * MS); // past the 10 ms threshold
        assertTrue(window.busy());
        now += 70 * MS;
        assertEquals(100, window.schedule(now), "after a late flush news waits 100 ms");

        window.ran(now + 100 * MS); // on time, measured against the longer window it was given
        assertFalse(window.busy());
        assertEquals(50, window.schedule(now + 200 * MS));
    }

    @Test
    void oneWindowSetForMeasurementsHoldsBusyOrNot() {
        MergeWindow fixed = new MergeWindow(200, 200, TopologyNews.LATE_NANOS);
        assertEquals(200, fixed.schedule(0));
        fixed.ran(TimeUnit.SECONDS.toNanos(5));
        assertTrue(fixed.busy());
        assertEquals(200, fixed.schedule(TimeUnit.SECONDS.toNanos(5)));
    }
}
