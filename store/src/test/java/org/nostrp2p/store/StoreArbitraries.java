package org.nostrp2p.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;

/**
 * The module's generators. Values come from small pools (4 authors, 30 seconds, a few tag
 * values) so that ties, duplicates, replaceable conflicts and matching filters are common.
 */
final class StoreArbitraries {

    /** Four authors; the first is the store's owner. */
    static final List<byte[]> AUTHORS = List.of(key(1), key(2), key(3), key(4));
    static final String OWNER_HEX = TestEvents.hex(AUTHORS.get(0));
    static final List<String> TOPICS = List.of("nostr", "p2p", "日本");
    static final List<Integer> KINDS = List.of(0, 1, 3, 6, 7);
    static final int MAX_TIME = 30;

    private StoreArbitraries() {
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) (seed * 37));
        key[31] = (byte) seed;
        return key;
    }

    /** An id from a tiny pool half of the time, so duplicates and id ties are frequent. */
    static Arbitrary<byte[]> ids() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<byte[]> pooled = Arbitraries.integers().between(0, 7).map(i -> {
            byte[] id = new byte[32];
            id[0] = (byte) (i * 33); // spans both halves of the unsigned byte order
            return id;
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, pooled), net.jqwik.api.Tuple.of(3, random));
    }

    static Arbitrary<List<String>> tags() {
        // Few distinct values, so that one "#p" or "#e" value matches several events.
        Arbitrary<String> authorHex = Arbitraries.of(AUTHORS.subList(0, 2)).map(TestEvents::hex);
        Arbitrary<String> eventRef = Arbitraries.integers().between(0, 1).map(i -> Integer.toString(i).repeat(64));
        return Arbitraries.oneOf(
                authorHex.map(p -> List.of("p", p)),
                eventRef.map(e -> List.of("e", e, "", "root")),
                eventRef.map(e -> List.of("e", e)),
                Arbitraries.of(TOPICS).map(t -> List.of("t", t)),
                Arbitraries.just(List.of("q")),
                Arbitraries.of(TOPICS).map(t -> List.of("topic", t)));
    }

    static Arbitrary<Event> events() {
        // Some hot seconds, so that ties in created_at are common everywhere, eviction included.
        Arbitrary<Long> times = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, MAX_TIME)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(10L, 20L)));
        return Combinators.combine(ids(), Arbitraries.of(AUTHORS), times,
                        Arbitraries.of(KINDS), tags().list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.strings().ofMaxLength(20), Arbitraries.of(true, false))
                .as((id, author, time, kind, tags, content, signed) -> new Event(id, author, time, kind, tags, content,
                        signed ? new byte[64] : null));
    }

    static Arbitrary<Filter> filters(List<Event> known) {
        Arbitrary<List<String>> ids = Arbitraries.oneOf(
                        Arbitraries.of(known.isEmpty() ? List.of("00".repeat(32)) : known.stream().map(Event::idHex).toList()),
                        Arbitraries.just("ab".repeat(32)), Arbitraries.just("NOT-HEX"))
                .list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<String>> authors = Arbitraries.of(AUTHORS).map(TestEvents::hex).list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<List<Integer>> kinds = Arbitraries.of(KINDS).list().ofMinSize(1).ofMaxSize(2);
        // Each condition is present about a quarter of the time, so most queries match several
        // events and ordering, ties and limits are exercised.
        Arbitrary<Map<Character, List<String>>> tagConditions = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Map.of())),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(AUTHORS.subList(0, 3)).map(TestEvents::hex).list().ofMinSize(1)
                        .ofMaxSize(2).map(v -> Map.of('p', v))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 2).map(i -> List.of(Integer.toString(i).repeat(64)))
                        .map(v -> Map.of('e', v))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(TOPICS).list().ofMaxSize(2).map(v -> Map.of('t', v))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of(AUTHORS).map(TestEvents::hex),
                        Arbitraries.of(TOPICS)).as((p, t) -> Map.of('p', List.of(p), 't', List.of(t)))));
        Arbitrary<Long> bound = Arbitraries.longs().between(0, MAX_TIME).injectNull(0.75);
        Arbitrary<Integer> limit = Arbitraries.integers().between(0, 12).injectNull(0.4);
        return Combinators.combine(ids.injectNull(0.9), authors.injectNull(0.75), kinds.injectNull(0.75),
                        tagConditions, bound, bound, limit)
                .as(Filter::new)
                .withoutEdgeCases(); // jqwik's mixed-in edge cases would make most filters all-conditions-at-once
    }

    /** What a property does to the store and the model alike. */
    sealed interface Action permits Put, PutAll, Query, Get, Latest, Retain {
    }

    record Put(Event event) implements Action {
    }

    record PutAll(List<Event> events) implements Action {
    }

    record Query(Filter filter) implements Action {
    }

    record Get(byte[] id) implements Action {
    }

    record Latest(int author, int kind) implements Action {
    }

    /** Advance the clock by some seconds, then enforce retention. */
    record Retain(long advanceSeconds) implements Action {
    }

    /** Events first, then actions that put them again (duplicates) and query for them. */
    static Arbitrary<List<Action>> actions() {
        return events().list().ofMinSize(4).ofMaxSize(25).flatMap(pool -> {
            Arbitrary<Event> fromPool = Arbitraries.of(pool);
            Arbitrary<Action> action = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(6, fromPool.map(Put::new)),
                    net.jqwik.api.Tuple.of(2, fromPool.list().ofMaxSize(5).map(PutAll::new)),
                    net.jqwik.api.Tuple.of(5, filters(pool).map(Query::new)),
                    net.jqwik.api.Tuple.of(2, fromPool.map(e -> (Action) new Get(e.id()))),
                    net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 3),
                            Arbitraries.of(0, 3)).as(Latest::new)),
                    net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 8).map(Retain::new)));
            return action.list().ofMinSize(15).ofMaxSize(60);
        });
    }

    static List<Event> allEvents(List<Action> actions) {
        List<Event> all = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Put p) {
                all.add(p.event());
            } else if (a instanceof PutAll p) {
                all.addAll(p.events());
            }
        }
        return all;
    }
}
