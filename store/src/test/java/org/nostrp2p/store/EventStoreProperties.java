package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.nostrp2p.model.Filter;
import org.nostrp2p.store.StoreArbitraries.Action;
import org.nostrp2p.store.StoreArbitraries.Get;
import org.nostrp2p.store.StoreArbitraries.Latest;
import org.nostrp2p.store.StoreArbitraries.Put;
import org.nostrp2p.store.StoreArbitraries.PutAll;
import org.nostrp2p.store.StoreArbitraries.Query;
import org.nostrp2p.store.StoreArbitraries.Retain;

/**
 * Any sequence of puts, queries and retention runs gives the same answers from the store as
 * from {@link StoreModel}: filters, ordering, limits, duplicates, replaceable kinds, eviction.
 */
class EventStoreProperties {

    private static final long START_SECONDS = 25;

    @Property(tries = 200)
    void anInMemoryStoreAgreesWithTheModel(@ForAll("actions") List<Action> actions,
                                           @ForAll @IntRange(min = 1, max = 16) int maxEvents,
                                           @ForAll("maxAges") Long maxAgeSeconds) {
        var clock = new SettableClock(START_SECONDS);
        try (var store = configured(SqliteEventStore.builder().inMemory(), clock, maxEvents, maxAgeSeconds).open()) {
            replay(actions, store, clock, new StoreModel(StoreArbitraries.OWNER_HEX, maxEvents, maxAgeSeconds));
        }
    }

    @Property(tries = 15)
    void aFileStoreAgreesWithTheModel(@ForAll("actions") List<Action> actions,
                                      @ForAll @IntRange(min = 1, max = 16) int maxEvents,
                                      @ForAll("maxAges") Long maxAgeSeconds) throws Exception {
        Path dir = Files.createTempDirectory("store-property");
        var clock = new SettableClock(START_SECONDS);
        try (var store = configured(SqliteEventStore.builder().path(dir.resolve("events.db")), clock,
                maxEvents, maxAgeSeconds).open()) {
            replay(actions, store, clock, new StoreModel(StoreArbitraries.OWNER_HEX, maxEvents, maxAgeSeconds));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        return StoreArbitraries.actions();
    }

    /** No maximum age half of the time. */
    @Provide
    Arbitrary<Long> maxAges() {
        return Arbitraries.longs().between(1, 25).injectNull(0.5);
    }

    private static SqliteEventStore.Builder configured(SqliteEventStore.Builder builder, Clock clock,
                                                       int maxEvents, Long maxAgeSeconds) {
        return builder.ownerPubkeyHex(StoreArbitraries.OWNER_HEX).maxEvents(maxEvents)
                .maxAge(maxAgeSeconds == null ? null : java.time.Duration.ofSeconds(maxAgeSeconds)).clock(clock)
                .evictionBatch(3).backgroundRetention(false);
    }

    private static void replay(List<Action> actions, SqliteEventStore store, SettableClock clock, StoreModel model) {
        int step = 0;
        for (Action action : actions) {
            String where = "step " + step++ + ": " + action;
            if (action instanceof Put p) {
                assertEquals(model.put(p.event()), store.put(p.event()), where);
            } else if (action instanceof PutAll p) {
                assertEquals(p.events().stream().map(model::put).toList(), store.putAll(p.events()), where);
            } else if (action instanceof Query q) {
                assertEquals(model.query(q.filter()), store.query(q.filter()), where);
            } else if (action instanceof Get g) {
                assertEquals(model.get(g.id()), store.get(g.id()), where);
            } else if (action instanceof Latest l) {
                String author = TestEvents.hex(StoreArbitraries.AUTHORS.get(l.author()));
                assertEquals(model.latest(author, l.kind()), store.latestReplaceable(author, l.kind()), where);
            } else if (action instanceof Retain r) {
                clock.advance(r.advanceSeconds());
                assertEquals(model.enforceRetention(clock.seconds), store.enforceRetention(), where);
                assertEquals(model.query(Filter.all()), store.query(Filter.all()), where + ", what remains");
            }
            assertEquals(model.count(), store.count(), where);
        }
        assertEquals(List.of(), store.consistencyProblems());
    }

    /** A clock the property moves forward. */
    private static final class SettableClock extends Clock {
        private volatile long seconds;

        SettableClock(long seconds) {
            this.seconds = seconds;
        }

        void advance(long by) {
            seconds += by;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds);
        }
    }
}
