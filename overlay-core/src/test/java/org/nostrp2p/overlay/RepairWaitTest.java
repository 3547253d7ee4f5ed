package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RepairWait} with given lateness, no clock. */
class RepairWaitTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final RepairWait wait = new RepairWait(BroadcastRepair.INITIAL_WAIT_NANOS, BroadcastRepair.MIN_WAIT_NANOS,
            BroadcastRepair.MAX_WAIT_NANOS);

    @Test
    void untilATreeCopyComesLateTheWaitIsTheInitialOne() {
        assertEquals(30 * MS, wait.nanos());
    }

    @Test
    void onAPunctualTreeTheWaitFallsToItsShortest() {
        // loopback: tree copies a millisecond or two behind the have
        for (int i = 0; i < 50; i++) {
            wait.treeCopyLate((1 + i % 2) * MS);
        }
        assertEquals(20 * MS, wait.nanos());
    }

    @Test
    void behindALateTreeTheWaitCoversWhatItHasSeenAndMovesWithIt() {
        // Given tree copies 40-80 ms behind their haves (servers far apart)
        for (int i = 0; i < 200; i++) {
            wait.treeCopyLate((40 + (i * 37) % 41) * MS);
        }
        long far = wait.nanos();
        assertTrue(far >= 80 * MS && far <= 300 * MS, "wait " + far / MS + " ms behind copies 40-80 ms late");

        // When the tree gets quick again, the wait follows it down
        for (int i = 0; i < 200; i++) {
            wait.treeCopyLate(2 * MS);
        }
        assertEquals(20 * MS, wait.nanos());
    }

    @Test
    void noLatenessMakesItWaitLongerThanItsLongest() {
        wait.treeCopyLate(TimeUnit.MINUTES.toNanos(5));
        wait.treeCopyLate(Long.MAX_VALUE);
        assertEquals(BroadcastRepair.MAX_WAIT_NANOS, wait.nanos());
        wait.treeCopyLate(-5 * MS); // clocks are monotonic; anything below zero counts as on time
        assertTrue(wait.nanos() <= BroadcastRepair.MAX_WAIT_NANOS);
    }

    @Test
    void boundsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RepairWait(10 * MS, 20 * MS, 30 * MS));
        assertThrows(IllegalArgumentException.class, () -> new RepairWait(10 * MS, 0, 30 * MS));
    }
}
