package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/**
 * A router's actor on a shared I/O thread: stopping it stops its tasks, never the shared thread;
 * the router's channels live on that thread too.
 */
class LoopActorTest {

    // What the actor writes then goes out in its own task, not as a task queued behind the
    // other loop's backlog (up to a second of other routers' work in a 500-router join), and a
    // channel registers on the loop that makes it without a task at all.
    @Test
    void aRouterSharingLoopsHasEveryChannelItAcceptsOrDialsOnItsActorsLoop() throws Exception {
        try (SharedIo io = SharedIo.create(2)) {
            List<Router> routers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Router router = Router.builder().name(new PeerName(0x0c0000000000L + i)).nickName("l" + i)
                            .listen("127.0.0.1", 0).sharedIo(io).build();
                    router.start();
                    if (i > 0) {
                        router.connect(List.of("127.0.0.1:" + routers.get(0).port()));
                    }
                    routers.add(router);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> routers.get(0).connectionCount() == 3);

                for (Router router : routers) {
                    CompletableFuture<List<String>> elsewhere = new CompletableFuture<>();
                    router.localPeer.execute(() -> elsewhere.complete(router.localPeer.state().connections().values()
                            .stream().filter(c -> !c.channel.eventLoop().inEventLoop())
                            .map(c -> c.remoteTcpAddr).toList()));
                    assertEquals(List.of(), elsewhere.get(5, TimeUnit.SECONDS),
                            router.name() + ": channels on another loop than its actor's");
                }
            } finally {
                routers.forEach(Router::stop);
            }
        }
    }

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
