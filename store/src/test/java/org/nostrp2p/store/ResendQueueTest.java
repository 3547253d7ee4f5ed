package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrp2p.store.TestEvents.hex;
import static org.nostrp2p.store.TestEvents.randomKey;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.store.ResendQueue.Entry;

/** The persistent resend queue: per-destination backoff of 5 min × 2^attempt, about 3.5 days in all. */
class ResendQueueTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private SqliteEventStore store;
    private ResendQueue queue;

    @BeforeEach
    void open() {
        store = SqliteEventStore.open(dir.resolve("events.db"));
        queue = store.resendQueue();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aQueuedEventIsFirstDueFiveMinutesLater() {
        String bob = hex(randomKey());
        byte[] id = randomKey();

        queue.enqueue(bob, id, T0);

        assertEquals(List.of(), queue.due(T0.plus(Duration.ofMinutes(5)).minusMillis(1), 10));
        List<Entry> due = queue.due(T0.plus(Duration.ofMinutes(5)), 10);
        assertEquals(1, due.size());
        assertEquals(bob, due.get(0).destination());
        assertArrayEquals(id, due.get(0).eventId());
        assertEquals(0, due.get(0).attempt());
        assertEquals(T0.plus(Duration.ofMinutes(5)), due.get(0).nextDue());
    }

    @Test
    void whatWaitsForOneServerIsFoundByTheEndOfItsUsersKeyWheneverItIsDue() {
        String bob = hex(randomKey());
        String carol = hex(randomKey());
        byte[] first = randomKey();
        byte[] second = randomKey();
        queue.enqueue(bob, first, T0);
        queue.enqueue(carol, randomKey(), T0);
        queue.enqueue(bob, second, T0.plusSeconds(1));

        List<Entry> forBob = queue.waitingFor(bob.substring(52), 10);

        assertEquals(2, forBob.size(), "not due yet, still found");
        assertArrayEquals(first, forBob.get(0).eventId());
        assertArrayEquals(second, forBob.get(1).eventId());
        assertTrue(forBob.stream().allMatch(e -> e.destination().equals(bob)));
        assertEquals(1, queue.waitingFor(bob.substring(52), 1).size());
        assertEquals(List.of(), queue.waitingFor("0".repeat(12).equals(bob.substring(52)) ? "1".repeat(12) : "0".repeat(12), 10));
        assertThrows(IllegalArgumentException.class, () -> queue.waitingFor("ABC", 10));
        assertThrows(IllegalArgumentException.class, () -> queue.waitingFor("'; --", 10));
    }

    @Test
    void queueingTheSameEventForTheSameDestinationTwiceKeepsOneEntry() {
        String bob = hex(randomKey());
        byte[] id = randomKey();

        queue.enqueue(bob, id, T0);
        queue.failed(bob, id, T0.plus(Duration.ofMinutes(5)));
        queue.enqueue(bob, id, T0.plus(Duration.ofMinutes(6)));

        assertEquals(1, queue.size());
        assertEquals(1, queue.due(T0.plus(Duration.ofDays(1)), 10).get(0).attempt());
    }

    @Test
    void eachFailureDoublesTheWaitAndTheTenthDropsTheEntryAfterAboutThreeAndAHalfDays() {
        String bob = hex(randomKey());
        byte[] id = randomKey();
        queue.enqueue(bob, id, T0);
        Instant now = T0.plus(Duration.ofMinutes(5));

        for (int attempt = 0; attempt < 9; attempt++) {
            List<Entry> due = queue.due(now, 10);
            assertEquals(1, due.size(), "attempt " + attempt + " is due");
            assertEquals(attempt, due.get(0).attempt());
            assertFalse(queue.failed(bob, id, now));
            Duration wait = Duration.ofMinutes(5L << (attempt + 1));
            assertEquals(List.of(), queue.due(now.plus(wait).minusSeconds(1), 10));
            now = now.plus(wait);
        }
        assertEquals(9, queue.due(now, 10).get(0).attempt());
        assertTrue(queue.failed(bob, id, now), "the tenth failure drops the entry");

        assertEquals(0, queue.size());
        Duration waited = Duration.between(T0, now);
        assertEquals(Duration.ofMinutes(5 * 1023), waited);
        assertTrue(waited.toHours() > 84 && waited.toHours() < 86, "about 3.5 days: " + waited);
    }

    @Test
    void destinationsBackOffIndependently() {
        String bob = hex(randomKey());
        String carol = hex(randomKey());
        byte[] id = randomKey();
        queue.enqueue(bob, id, T0);
        queue.enqueue(carol, id, T0);
        Instant due = T0.plus(Duration.ofMinutes(5));

        queue.delivered(bob, id);
        assertFalse(queue.failed(carol, id, due));

        assertEquals(1, queue.size());
        List<Entry> later = queue.due(due.plus(Duration.ofMinutes(10)), 10);
        assertEquals(List.of(carol), later.stream().map(Entry::destination).toList());
        assertEquals(1, later.get(0).attempt());
    }

    @Test
    void dueEntriesComeOldestDueFirstAndAtMostMax() {
        byte[] id = randomKey();
        String first = hex(randomKey());
        String second = hex(randomKey());
        String third = hex(randomKey());
        queue.enqueue(second, id, T0.plusSeconds(2));
        queue.enqueue(first, id, T0.plusSeconds(1));
        queue.enqueue(third, id, T0.plusSeconds(3));

        List<Entry> due = queue.due(T0.plus(Duration.ofHours(1)), 2);

        assertEquals(List.of(first, second), due.stream().map(Entry::destination).toList());
    }

    @Test
    void failingAnEntryThatIsNotQueuedReportsItGone() {
        assertTrue(queue.failed(hex(randomKey()), randomKey(), T0));
    }

    @Test
    void theQueueSurvivesAReopen() {
        String bob = hex(randomKey());
        byte[] id = randomKey();
        queue.enqueue(bob, id, T0);
        queue.failed(bob, id, T0.plus(Duration.ofMinutes(5)));
        store.close();

        store = SqliteEventStore.open(dir.resolve("events.db"));
        queue = store.resendQueue();

        List<Entry> due = queue.due(T0.plus(Duration.ofMinutes(15)), 10);
        assertEquals(1, due.size());
        assertEquals(1, due.get(0).attempt());
    }

    @Test
    void aMalformedDestinationOrIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> queue.enqueue("bob", randomKey(), T0));
        assertThrows(IllegalArgumentException.class, () -> queue.enqueue(hex(randomKey()), new byte[3], T0));
    }
}
