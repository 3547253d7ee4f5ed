package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrp2p.store.TestEvents.event;
import static org.nostrp2p.store.TestEvents.hex;
import static org.nostrp2p.store.TestEvents.post;
import static org.nostrp2p.store.TestEvents.randomKey;
import static org.nostrp2p.store.TestEvents.withId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;
import org.nostrp2p.store.EventStore.PutResult;

/** What {@link SqliteEventStore} promises, on a file and in memory alike. */
class SqliteEventStoreTest {

    @TempDir
    Path dir;

    private final List<EventStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(EventStore::close);
    }

    private EventStore store(String where) {
        Supplier<SqliteEventStore> open = switch (where) {
            case "file" -> () -> SqliteEventStore.builder().path(dir.resolve("events.db")).open();
            case "memory" -> SqliteEventStore::inMemory;
            default -> throw new IllegalArgumentException(where);
        };
        EventStore store = open.get();
        opened.add(store);
        return store;
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void anEventPutIsReturnedByGetExactlyAsPut(String where) {
        EventStore store = store(where);
        Event event = event(randomKey(), 1_700_000_000L, 1,
                List.of(List.of("e", hex(randomKey()), "", "root"), List.of("p", hex(randomKey())), List.of("q"),
                        List.of("t", "日本語 ✓ \u0000 emoji 🎉")),
                "hello\nworld \"quoted\" 🎉");

        assertEquals(PutResult.STORED, store.put(event));

        assertEquals(Optional.of(event), store.get(event.id()));
        assertEquals(1, store.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void anEventWithoutSignatureIsStoredWithoutOne(String where) {
        EventStore store = store(where);
        Event event = post(randomKey(), 5).withoutSig();

        store.put(event);

        assertEquals(Optional.of(event), store.get(event.id()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void puttingTheSameIdAgainIsADuplicateAndChangesNothing(String where) {
        EventStore store = store(where);
        Event event = post(randomKey(), 10);
        store.put(event);

        assertEquals(PutResult.DUPLICATE, store.put(event));
        assertEquals(PutResult.DUPLICATE, store.put(withId(event.id(), randomKey(), 99, 1)));

        assertEquals(1, store.count());
        assertEquals(Optional.of(event), store.get(event.id()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void anUnknownOrMalformedIdIsNotFound(String where) {
        EventStore store = store(where);
        store.put(post(randomKey(), 1));

        assertEquals(Optional.empty(), store.get(randomKey()));
        assertEquals(Optional.empty(), store.get(new byte[5]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void putAllReportsEachEventInOrder(String where) {
        EventStore store = store(where);
        byte[] author = randomKey();
        Event first = post(author, 1);
        Event second = post(author, 2);
        Event newProfile = event(author, 20, 0, List.of(), "{\"name\":\"new\"}");
        Event oldProfile = event(author, 10, 0, List.of(), "{\"name\":\"old\"}");

        List<PutResult> results = store.putAll(List.of(first, second, first, newProfile, oldProfile));

        assertEquals(List.of(PutResult.STORED, PutResult.STORED, PutResult.DUPLICATE, PutResult.STORED,
                PutResult.SUPERSEDED), results);
        assertEquals(3, store.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void theLatestNAreTheNewestFirstWithTiesByLowestId(String where) {
        EventStore store = store(where);
        byte[] author = randomKey();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(post(author, 1000 + i / 3)); // three events per second: ties
        }
        store.putAll(events);

        List<Event> latest = store.query(Filter.all().withLimit(10));

        List<Event> expected = events.stream()
                .sorted((a, b) -> a.createdAt() != b.createdAt() ? Long.compare(b.createdAt(), a.createdAt())
                        : Arrays.compareUnsigned(a.id(), b.id()))
                .limit(10).toList();
        assertEquals(expected, latest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void sinceAndUntilAreInclusiveWithAndWithoutALimit(String where) {
        EventStore store = store(where);
        byte[] author = randomKey();
        for (int t = 1; t <= 10; t++) {
            store.put(post(author, t));
        }

        List<Long> inRange = times(store.query(Filter.all().withRange(3L, 6L)));
        List<Long> inRangeLimited = times(store.query(Filter.all().withRange(3L, 6L).withLimit(2)));
        List<Long> sinceOnly = times(store.query(Filter.all().withRange(9L, null)));
        List<Long> untilOnly = times(store.query(Filter.all().withRange(null, 2L)));

        assertEquals(List.of(6L, 5L, 4L, 3L), inRange);
        assertEquals(List.of(6L, 5L), inRangeLimited);
        assertEquals(List.of(10L, 9L), sinceOnly);
        assertEquals(List.of(2L, 1L), untilOnly);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void filtersByIdsAuthorsKindsAndTags(String where) {
        EventStore store = store(where);
        byte[] alice = randomKey();
        byte[] bob = randomKey();
        Event alicePost = post(alice, 1);
        Event bobPost = post(bob, 2);
        Event replyToAlice = event(bob, 3, 1,
                List.of(List.of("e", alicePost.idHex(), "", "root"), List.of("p", hex(alice))), "re");
        Event likeOfAlice = event(bob, 4, 7, List.of(List.of("e", alicePost.idHex()), List.of("p", hex(alice))), "+");
        Event repost = event(alice, 5, 6, List.of(List.of("e", bobPost.idHex(), ""), List.of("p", hex(bob))), "{}");
        store.putAll(List.of(alicePost, bobPost, replyToAlice, likeOfAlice, repost));

        assertEquals(List.of(bobPost, alicePost), store.query(Filter.all().withIds(alicePost.idHex(), bobPost.idHex())));
        assertEquals(List.of(repost, alicePost), store.query(Filter.all().withAuthors(hex(alice))));
        assertEquals(List.of(repost, likeOfAlice), store.query(Filter.all().withKinds(6, 7)));
        assertEquals(List.of(likeOfAlice, replyToAlice), store.query(Filter.all().withTag('p', hex(alice))));
        assertEquals(List.of(likeOfAlice), store.query(Filter.all().withTag('p', hex(alice)).withKinds(7)));
        assertEquals(List.of(likeOfAlice, replyToAlice),
                store.query(Filter.all().withTag('e', alicePost.idHex()).withTag('p', hex(alice))));
        assertEquals(List.of(), store.query(Filter.all().withTag('e', alicePost.idHex()).withTag('p', hex(bob))));
        assertEquals(List.of(repost), store.query(Filter.all().withTag('e', bobPost.idHex())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void aTagQueryIsNewestFirstWithTiesByLowestIdAndStopsAtTheLimit(String where) {
        EventStore store = store(where);
        String alice = hex(randomKey());
        List<Event> mentions = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            mentions.add(event(randomKey(), 100 + i / 4, 1, List.of(List.of("p", alice)), "@alice " + i));
        }
        store.putAll(mentions);
        store.put(event(randomKey(), 500, 1, List.of(List.of("p", hex(randomKey()))), "someone else"));

        List<Event> expected = mentions.stream()
                .sorted((a, b) -> a.createdAt() != b.createdAt() ? Long.compare(b.createdAt(), a.createdAt())
                        : Arrays.compareUnsigned(a.id(), b.id()))
                .toList();
        assertEquals(expected.subList(0, 6), store.query(Filter.all().withTag('p', alice).withLimit(6)));
        assertEquals(expected, store.query(Filter.all().withTag('p', alice)));
        assertEquals(expected.subList(4, 8), store.query(Filter.all().withTag('p', alice).withRange(101L, 101L)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void emptyListsAndMalformedKeysMatchNothing(String where) {
        EventStore store = store(where);
        Event post = post(randomKey(), 1);
        store.put(post);

        assertEquals(List.of(), store.query(new Filter(List.of(), null, null, null, null, null, null)));
        assertEquals(List.of(), store.query(new Filter(null, null, List.of(), null, null, null, null)));
        assertEquals(List.of(), store.query(Filter.all().withAuthors("not hex")));
        assertEquals(List.of(), store.query(Filter.all().withIds(post.idHex().toUpperCase())));
        assertEquals(List.of(), store.query(Filter.all().withLimit(0)));
        assertEquals(List.of(post), store.query(Filter.all()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void onlyTheNewestProfileAndFollowListOfAnAuthorAreKept(String where) {
        EventStore store = store(where);
        byte[] author = randomKey();
        Event profile1 = event(author, 100, 0, List.of(), "{\"name\":\"one\"}");
        Event profile2 = event(author, 200, 0, List.of(), "{\"name\":\"two\"}");
        Event follows = event(author, 150, 3, List.of(List.of("p", hex(randomKey()), "", "")), "");

        assertEquals(PutResult.STORED, store.put(profile1));
        assertEquals(PutResult.STORED, store.put(profile2));
        assertEquals(PutResult.SUPERSEDED, store.put(profile1));
        assertEquals(PutResult.SUPERSEDED, store.put(event(author, 199, 0, List.of(), "older")));
        assertEquals(PutResult.STORED, store.put(follows));

        assertEquals(Optional.of(profile2), store.latestReplaceable(hex(author), 0));
        assertEquals(Optional.of(follows), store.latestReplaceable(hex(author), 3));
        assertEquals(List.of(profile2), store.query(Filter.all().withKinds(0).withAuthors(hex(author))));
        assertEquals(Optional.empty(), store.get(profile1.id()));
        assertEquals(2, store.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void aReplaceableTieGoesToTheLowestId(String where) {
        EventStore store = store(where);
        byte[] author = randomKey();
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        Arrays.fill(high, (byte) 0xF0); // unsigned: 0xF0 > 0x01
        low[0] = 0x01;
        Event lowId = withId(low, author, 300, 3);
        Event highId = withId(high, author, 300, 3);

        assertEquals(PutResult.STORED, store.put(highId));
        assertEquals(PutResult.STORED, store.put(lowId));
        assertEquals(PutResult.SUPERSEDED, store.put(withId(high, author, 300, 3)));

        assertEquals(Optional.of(lowId), store.latestReplaceable(hex(author), 3));
        assertEquals(1, store.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void latestReplaceableOfAnUnknownAuthorIsEmpty(String where) {
        EventStore store = store(where);

        assertEquals(Optional.empty(), store.latestReplaceable(hex(randomKey()), 0));
        assertEquals(Optional.empty(), store.latestReplaceable("zz", 0));
    }

    @Test
    void aFileStoreKeepsItsEventsAndQueueAcrossReopening() {
        Path file = dir.resolve("events.db");
        byte[] author = randomKey();
        Event post = post(author, 42);
        Event profile = event(author, 43, 0, List.of(), "{}");
        String destination = hex(randomKey());
        try (var store = SqliteEventStore.open(file)) {
            store.putAll(List.of(post, profile));
            store.resendQueue().enqueue(destination, post.id(), java.time.Instant.EPOCH);
        }

        try (var store = SqliteEventStore.open(file)) {
            assertEquals(2, store.count());
            assertEquals(Optional.of(post), store.get(post.id()));
            assertEquals(Optional.of(profile), store.latestReplaceable(hex(author), 0));
            assertEquals(1, store.resendQueue().size());
            assertEquals(PutResult.SUPERSEDED, store.put(event(author, 1, 0, List.of(), "{}")));
            assertTrue(store.path().isPresent());
        }
    }

    @Test
    void readersHoldNoSnapshotBetweenReadsSoTheWalCanBeCheckpointed() throws Exception {
        Path file = dir.resolve("events.db");
        try (var store = SqliteEventStore.builder().path(file).readers(2).open()) {
            byte[] author = randomKey();
            for (int i = 0; i < 20; i++) {
                store.put(post(author, i));
                store.query(Filter.all().withLimit(5));
                store.get(randomKey());
                store.resendQueue().size();
            }
            store.put(post(author, 99));

            try (var raw = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                 var rows = raw.createStatement().executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rows.next();
                assertEquals(0, rows.getInt(1), "checkpoint not blocked");
                assertTrue(rows.getInt(2) > 0, "the WAL has frames");
                assertEquals(rows.getInt(2), rows.getInt(3), "every frame checkpointed: no reader pins an old snapshot");
            }
        }
    }

    @Test
    void aClosedStoreRefusesWork() {
        var store = SqliteEventStore.inMemory();
        store.close();
        store.close(); // idempotent

        StoreException e = assertThrows(StoreException.class, () -> store.put(post(randomKey(), 1)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(StoreException.class, () -> store.query(Filter.all()));
    }

    @Test
    void twoInMemoryStoresAreIndependent() {
        EventStore one = store("memory");
        EventStore two = store("memory");

        one.put(post(randomKey(), 1));

        assertEquals(1, one.count());
        assertEquals(0, two.count());
        assertFalse(two.query(Filter.all()).iterator().hasNext());
    }

    private static List<Long> times(List<Event> events) {
        return events.stream().map(Event::createdAt).toList();
    }
}
