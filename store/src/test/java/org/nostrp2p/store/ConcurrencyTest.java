package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;

/**
 * Readers, writers, background eviction and the resend queue at once on one file: no
 * SQLITE_BUSY (nor anything else) reaches a caller, and every read sees a consistent store.
 */
class ConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void readersAndWritersAtOnceNeverSeeAnError() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), this::hammer);
    }

    private void hammer() throws Exception {
        byte[] owner = TestEvents.randomKey();
        var errors = new ConcurrentLinkedQueue<Throwable>();
        var stop = new AtomicBoolean();
        var reads = new AtomicLong();
        try (var store = SqliteEventStore.builder().path(dir.resolve("events.db")).ownerPubkeyHex(TestEvents.hex(owner))
                .maxEvents(500).evictionBatch(25).readers(3).open()) {
            List<Thread> threads = new ArrayList<>();
            int writers = 4;
            int putsPerWriter = 150;
            var writersDone = new CountDownLatch(writers);
            var own = new ConcurrentLinkedQueue<Event>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(thread(errors, () -> {
                    try {
                        for (int i = 0; i < putsPerWriter; i++) {
                            long time = 1_000_000 + i;
                            if (writer == 0) {
                                Event mine = TestEvents.post(owner, time);
                                store.put(mine);
                                own.add(mine);
                                store.resendQueue().enqueue(TestEvents.hex(TestEvents.randomKey()), mine.id(), Instant.EPOCH);
                            } else if (writer == 1) {
                                store.putAll(List.of(TestEvents.post(TestEvents.randomKey(), time),
                                        TestEvents.post(TestEvents.randomKey(), time),
                                        TestEvents.event(TestEvents.randomKey(), time, 0, List.of(), "{}")));
                            } else {
                                store.put(TestEvents.post(TestEvents.randomKey(), time));
                            }
                        }
                    } finally {
                        writersDone.countDown();
                    }
                }));
            }
            for (int r = 0; r < 6; r++) {
                int reader = r;
                threads.add(thread(errors, () -> {
                    while (!stop.get()) {
                        List<Event> latest = store.query(Filter.all().withLimit(50));
                        assertTrue(latest.size() <= 50);
                        for (int i = 1; i < latest.size(); i++) {
                            assertTrue(latest.get(i - 1).createdAt() >= latest.get(i).createdAt(), "newest first");
                        }
                        if (reader % 2 == 0) {
                            store.query(Filter.all().withAuthors(TestEvents.hex(owner)).withRange(1_000_100L, null));
                            store.resendQueue().due(Instant.now(), 20);
                        } else if (!latest.isEmpty()) {
                            store.get(latest.get(0).id());
                            store.count();
                        }
                        reads.incrementAndGet();
                    }
                }));
            }
            threads.forEach(Thread::start);
            writersDone.await();
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }

            assertEquals(List.of(), new ArrayList<>(errors), "errors reached callers");
            for (Event mine : own) {
                assertTrue(store.get(mine.id()).isPresent(), "the owner's event " + mine + " is kept");
            }
            assertEquals(putsPerWriter, store.resendQueue().size());
            System.out.printf("concurrency: %d writers x %d puts, %d reads, %d events left, no errors%n",
                    writers, putsPerWriter, reads.get(), store.count());
        }
    }

    private static Thread thread(ConcurrentLinkedQueue<Throwable> errors, Runnable body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        });
    }
}
