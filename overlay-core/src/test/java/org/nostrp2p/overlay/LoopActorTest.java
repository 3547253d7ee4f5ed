package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A router's actor on a shared I/O thread: stopping it stops its tasks, never the shared thread. */
class LoopActorTest {

    @Test
    void afterShutdownItsQueuedAndPeriodicTasksDoNotRunAndNewOnesAreRefusedWhileTheSharedLoopGoesOn() throws Exception {
        try (SharedIo io = SharedIo.create(1)) {
            ScheduledExecutorService loop = io.group().next();
            LoopActor stopping = new LoopActor(loop);
            LoopActor other = new LoopActor(loop);
            AtomicInteger periodicRuns = new AtomicInteger();
            AtomicInteger delayedRuns = new AtomicInteger();
            stopping.scheduleAtFixedRate(periodicRuns::incrementAndGet, 0, 10, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> periodicRuns.get() >= 2);
            stopping.schedule(delayedRuns::incrementAndGet, 200, TimeUnit.MILLISECONDS);

            stopping.shutdown();
            int runsAtShutdown = periodicRuns.get();
            CountDownLatch otherRan = new CountDownLatch(1);
            other.schedule(otherRan::countDown, 300, TimeUnit.MILLISECONDS);

            assertTrue(otherRan.await(5, TimeUnit.SECONDS), "the shared loop stopped with one of its routers");
            assertEquals(0, delayedRuns.get(), "a task scheduled before shutdown ran after it");
            assertTrue(periodicRuns.get() <= runsAtShutdown + 1, "the periodic task kept running");
            assertThrows(RejectedExecutionException.class, () -> stopping.execute(() -> { }));
            assertTrue(stopping.isShutdown() && stopping.awaitTermination(1, TimeUnit.SECONDS));
        }
    }
}
