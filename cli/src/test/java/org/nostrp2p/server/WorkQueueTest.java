package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The work queue is bounded in bytes, not only in tasks. */
class WorkQueueTest {

    @Test
    void tasksAreRefusedOnceTheBytesWaitingReachTheLimitLongBeforeTheTaskLimit() throws InterruptedException {
        WorkQueue queue = new WorkQueue("test-work", 10_000, 1_000_000);
        CountDownLatch release = new CountDownLatch(1);
        queue.submit(0, () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, reason -> { });
        List<String> refusals = new ArrayList<>();
        int queued = 0;
        for (int i = 0; i < 100; i++) {
            if (queue.submit(100_000, () -> { }, refusals::add)) {
                queued++;
            }
        }

        assertEquals(10, queued);
        assertEquals(90, refusals.size());
        assertTrue(refusals.get(0).contains("bytes"), refusals.get(0));
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.queuedBytes() == 0);
        assertTrue(queue.submit(100_000, () -> { }, refusals::add), "room again once the tasks ran");
        queue.shutdown();
    }

    @Test
    void oneTaskLargerThanTheLimitStillRunsWhenNothingWaits() {
        WorkQueue queue = new WorkQueue("test-work", 10, 1_000);
        assertTrue(queue.submit(5_000, () -> { }, reason -> { }));
        queue.shutdown();
        assertFalse(queue.submit(1, () -> { }, reason -> { }), "refused once stopped");
    }
}
