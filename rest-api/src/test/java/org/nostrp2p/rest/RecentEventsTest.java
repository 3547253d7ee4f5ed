package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.store.SqliteEventStore;

/** The Go server's kind 40000 rules, over a real store holding posts at t = 1..120. */
class RecentEventsTest {

    private final SecretKey user = SecretKey.generate();
    private SqliteEventStore store;

    @BeforeEach
    void fill() {
        store = SqliteEventStore.inMemory();
        store.putAll(LongStream.rangeClosed(1, 120).mapToObj(t -> Events.sign(user, t, 1, List.of(), "at " + t)).toList());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<Long> times(Long since, Long until, Long limit) {
        ReqFilter filter = new ReqFilter(null, null, List.of(40000), Map.of(), since, until, limit);
        return RecentEvents.answer(store, filter).stream().map(Event::createdAt).toList();
    }

    @Test
    void aLimitMeansTheLatestThatManyOldestFirstWhateverSinceAndUntilSay() {
        assertEquals(LongStream.rangeClosed(111, 120).boxed().toList(), times(-1L, -1L, 10L));
        assertEquals(LongStream.rangeClosed(111, 120).boxed().toList(), times(5L, 7L, 10L));
    }

    @Test
    void sinceZeroOrAbsentWithoutALimitMeansTheLatestFifty() {
        assertEquals(LongStream.rangeClosed(71, 120).boxed().toList(), times(0L, 0L, -1L));
        assertEquals(LongStream.rangeClosed(71, 120).boxed().toList(), times(null, null, null));
        assertEquals(LongStream.rangeClosed(71, 120).boxed().toList(), times(0L, null, 0L));
    }

    @Test
    void otherwiseTheInclusiveRangeOldestFirstAndUntilZeroHasNoUpperBound() {
        assertEquals(List.of(10L, 11L, 12L), times(10L, 12L, -1L));
        assertEquals(LongStream.rangeClosed(100, 120).boxed().toList(), times(100L, 0L, -1L));
        assertEquals(List.of(), times(-1L, -1L, -1L));
    }

    @Test
    void noAnswerHoldsMoreThanTheCapTheNewestWithinTheRangeAreKept() {
        store.putAll(LongStream.rangeClosed(1000, 1000 + RecentEvents.MAX_EVENTS).mapToObj(t -> Events.sign(user, t, 1, List.of(), "x")).toList());

        List<Long> answer = times(1L, 0L, -1L);

        assertEquals(RecentEvents.MAX_EVENTS, answer.size());
        assertEquals(1000L + RecentEvents.MAX_EVENTS, answer.get(answer.size() - 1));
        assertEquals(RecentEvents.MAX_EVENTS, times(-1L, -1L, 100_000L).size());
    }
}
