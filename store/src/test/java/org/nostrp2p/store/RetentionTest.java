package org.nostrp2p.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrp2p.store.TestEvents.event;
import static org.nostrp2p.store.TestEvents.hex;
import static org.nostrp2p.store.TestEvents.post;
import static org.nostrp2p.store.TestEvents.randomKey;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;

/** The bounded window: a cap and a maximum age (who is protected: {@link FairRetentionTest}). */
class RetentionTest {

    @TempDir
    Path dir;

    @Test
    void overTheCapTheOldestEventsAreEvicted() {
        try (var store = SqliteEventStore.builder().path(dir.resolve("events.db")).maxEvents(10)
                .backgroundRetention(false).open()) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                events.add(post(randomKey(), 1000 + i));
            }
            store.putAll(events);

            assertEquals(15, store.enforceRetention());

            assertEquals(10, store.count());
            assertEquals(newestFirst(events.subList(15, 25)), store.query(Filter.all()));
            assertEquals(0, store.enforceRetention(), "nothing more to do");
        }
    }

    @Test
    void amongEventsOfTheSameSecondTheHighestIdIsEvictedFirstTheReverseOfQueryOrder() {
        try (var store = SqliteEventStore.builder().inMemory().maxEvents(1).backgroundRetention(false).open()) {
            byte[] low = new byte[32];
            byte[] high = new byte[32];
            high[0] = (byte) 0x90; // above 0x10 unsigned, below it signed
            low[0] = 0x10;
            Event lowId = TestEvents.withId(low, randomKey(), 50, 1);
            Event highId = TestEvents.withId(high, randomKey(), 50, 1);
            store.putAll(List.of(lowId, highId));

            assertEquals(1, store.enforceRetention());

            assertEquals(List.of(lowId), store.query(Filter.all()));
        }
    }

    @Test
    void eventsOlderThanTheMaximumAgeAreEvicted() {
        long now = 2_000_000;
        try (var store = SqliteEventStore.builder().inMemory().maxAge(Duration.ofHours(1))
                .clock(fixedAt(now)).backgroundRetention(false).open()) {
            Event old = post(randomKey(), now - 3601);
            Event edge = post(randomKey(), now - 3600);
            Event fresh = post(randomKey(), now - 5);
            store.putAll(List.of(old, edge, fresh));

            assertEquals(1, store.enforceRetention());

            assertEquals(List.of(fresh, edge), store.query(Filter.all()));
        }
    }

    @Test
    void inTheBackgroundTheCapIsRestoredWithoutBeingAsked() {
        try (var store = SqliteEventStore.builder().path(dir.resolve("events.db")).maxEvents(100)
                .evictionBatch(7).open()) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                events.add(post(randomKey(), i));
            }
            for (int i = 0; i < 400; i += 50) {
                store.putAll(events.subList(i, i + 50));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> store.count() == 100);

            assertEquals(newestFirst(events.subList(300, 400)), store.query(Filter.all()));
            assertEquals(List.of(), store.consistencyProblems());
        }
    }

    private static List<Event> newestFirst(List<Event> oldestFirst) {
        List<Event> copy = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static Clock fixedAt(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }
}
