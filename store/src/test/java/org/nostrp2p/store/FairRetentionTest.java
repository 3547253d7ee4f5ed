package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrp2p.store.TestEvents.event;
import static org.nostrp2p.store.TestEvents.hex;
import static org.nostrp2p.store.TestEvents.post;
import static org.nostrp2p.store.TestEvents.randomKey;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventLimits;
import org.nostrp2p.model.Filter;

/**
 * Fair retention (issue 13): the cap holds for every kind; the owner's events, followed authors'
 * events and events addressed to the owner are kept first; strangers share the rest with a
 * per-author cap. The attacks of the issue, scaled down (cap 200 instead of 100,000).
 */
class FairRetentionTest {

    private static final long NOW = 1_764_000_000L;
    private static final int CAP = 200;

    @TempDir
    Path dir;

    private final byte[] owner = randomKey();
    private final byte[] followed = randomKey();

    private SqliteEventStore open() {
        return SqliteEventStore.builder().path(dir.resolve("events.db")).ownerPubkeyHex(hex(owner)).maxEvents(CAP)
                .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)).backgroundRetention(false).open();
    }

    private List<Event> whatTheOwnerReads(SqliteEventStore store) {
        List<Event> kept = new ArrayList<>();
        kept.add(store.put(event(owner, NOW - 10, 3, List.of(List.of("p", hex(followed), "", "")), "")) == EventStore.PutResult.STORED
                ? store.latestReplaceable(hex(owner), 3).orElseThrow() : null);
        for (int i = 0; i < 5; i++) {
            kept.add(post(owner, NOW - 1000 + i));
            kept.add(post(followed, NOW - 2000 + i));
        }
        kept.add(event(followed, NOW - 5000, 0, List.of(), "{\"name\":\"followed\"}"));
        byte[] stranger = randomKey();
        kept.add(event(stranger, NOW - 3000, 1, List.of(List.of("p", hex(owner))), "a reply to the owner"));
        kept.add(event(stranger, NOW - 3000, 7, List.of(List.of("e", "ab".repeat(32)), List.of("p", hex(owner))), "+"));
        store.putAll(kept.subList(1, kept.size()));
        return kept;
    }

    @Test
    void profilesFromManyFreshKeysArePushedOutByNewPostsAndNeverPushOutWhatTheOwnerReads() {
        try (var store = open()) {
            List<Event> kept = whatTheOwnerReads(store);
            List<Event> spam = new ArrayList<>();
            for (int i = 0; i < CAP + 100; i++) {
                spam.add(event(randomKey(), NOW - 500, 0, List.of(), "{\"name\":\"spam " + i + "\"}"));
            }
            store.putAll(spam);
            store.enforceRetention();
            List<Event> newPosts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                newPosts.add(post(randomKey(), NOW - 100 + i));
            }
            store.putAll(newPosts);

            store.enforceRetention();

            assertEquals(CAP, store.count(), "the cap holds for profiles too");
            kept.forEach(e -> assertTrue(store.get(e.id()).isPresent(), "evicted: " + e));
            newPosts.forEach(e -> assertTrue(store.get(e.id()).isPresent(), "a new post was evicted: " + e));
        }
    }

    @Test
    void postDatedEventsAreEvictedFirstNotLast() {
        try (var store = open()) {
            List<Event> kept = whatTheOwnerReads(store);
            byte[] spammer = randomKey();
            for (int i = 0; i < CAP + 50; i++) {
                store.put(post(randomKey(), NOW + 50 * 365 * 86_400L + i)); // fifty years ahead
            }
            List<Event> newPosts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                newPosts.add(post(randomKey(), NOW - 100 + i));
            }
            store.putAll(newPosts);

            store.enforceRetention();

            assertEquals(CAP, store.count());
            kept.forEach(e -> assertTrue(store.get(e.id()).isPresent(), "evicted: " + e));
            newPosts.forEach(e -> assertTrue(store.get(e.id()).isPresent(), "a new post was evicted: " + e));
            assertTrue(spammer.length == 32);
        }
    }

    @Test
    void oneStrangerFloodingLosesItsOwnOldestEventsNotEveryoneElses() {
        try (var store = open()) {
            List<Event> others = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                others.add(post(randomKey(), NOW - 10_000 + i)); // older than the flood
            }
            store.putAll(others);
            byte[] flooder = randomKey();
            for (int i = 0; i < 3 * CAP; i++) {
                store.put(post(flooder, NOW - 1000 + i));
            }

            store.enforceRetention();

            assertEquals(CAP, store.count());
            others.forEach(e -> assertTrue(store.get(e.id()).isPresent(), "another author's post was evicted: " + e));
            assertEquals(CAP - others.size(), store.query(new Filter(null, List.of(hex(flooder)), null, null, null, null, null)).size());
        }
    }

    @Test
    void followingSomeoneProtectsTheirEventsFromThenOn() {
        try (var store = open()) {
            byte[] author = randomKey();
            Event theirs = post(author, NOW - 100_000);
            store.put(theirs);
            store.put(event(owner, NOW, 3, List.of(List.of("p", hex(author))), ""));
            for (int i = 0; i < CAP + 10; i++) {
                store.put(post(randomKey(), NOW - 50 + i % 50));
            }

            store.enforceRetention();

            assertTrue(store.get(theirs.id()).isPresent());
        }
    }

    @Test
    void aStoreHoldingOversizedEventsFromAnOlderVersionHealsAtOpenAndAnswersEveryQuery() {
        Event huge = post(randomKey(), NOW - 5);
        Event hugeContent = event(randomKey(), NOW - 4, 1, List.of(), "x".repeat(1 << 20));
        Event manyTags = event(randomKey(), NOW - 3, 1, Collections.nCopies(100_000, List.of("t", "x")), "tags");
        Event tooLate = event(randomKey(), (1L << 53) + 1, 1, List.of(), "beyond float64");
        Event ordinary = event(owner, NOW - 1, 1, List.of(), "ordinary");
        try (var store = SqliteEventStore.builder().path(dir.resolve("events.db")).ownerPubkeyHex(hex(owner))
                .limits(new EventLimits(1 << 30, Integer.MAX_VALUE, 16, 1 << 20, Long.MAX_VALUE / 2)).open()) {
            store.putAll(List.of(huge, hugeContent, manyTags, tooLate, ordinary));
        }

        try (var store = open()) {
            assertEquals(3, store.healedAtOpen());
            assertEquals(List.of(ordinary, huge), store.query(Filter.all().withLimit(50)));
        }
    }
}
