package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.nostrp2p.model.Event;
import org.nostrp2p.store.EventStore.PutResult;

/**
 * Retention under arbitrary sequences of owner, followed and stranger events (any kind, any
 * time, post-dated too) keeps the protected set: every event of the owner or of a followed
 * author, every event addressed to the owner; and the cap holds whenever the protected set
 * alone is within it.
 */
class RetentionProperties {

    private static final long NOW = 1_000_000;
    private static final byte[] OWNER = TestEvents.randomKey();
    private static final byte[] FOLLOWED = TestEvents.randomKey();
    private static final List<byte[]> STRANGERS = List.of(TestEvents.randomKey(), TestEvents.randomKey(), TestEvents.randomKey());

    /** Who writes an event, and whether it is addressed to the owner. */
    enum Author { OWNER, FOLLOWED, STRANGER_0, STRANGER_1, STRANGER_2 }

    record Spec(Author author, int kind, long createdAt, boolean toOwner) {
    }

    @Provide
    Arbitrary<List<Spec>> sequences() {
        Arbitrary<Long> times = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(NOW - 1000, NOW)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(NOW + 1000, NOW + 100_000_000)));
        return Combinators.combine(Arbitraries.of(Author.class), Arbitraries.of(0, 1, 3, 6, 7), times,
                        Arbitraries.of(true, false, false, false))
                .as(Spec::new).list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 100)
    void retentionKeepsTheProtectedSetAndTheCap(@ForAll("sequences") List<Spec> specs,
                                                @ForAll @IntRange(min = 1, max = 30) int cap,
                                                @ForAll @IntRange(min = 1, max = 10) int perAuthorCap) {
        try (var store = SqliteEventStore.builder().inMemory().ownerPubkeyHex(TestEvents.hex(OWNER)).maxEvents(cap)
                .perAuthorCap(perAuthorCap).evictionBatch(4)
                .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)).backgroundRetention(false).open()) {
            // The owner follows FOLLOWED from the start, with a follow list nothing supersedes.
            store.put(TestEvents.event(OWNER, NOW + 200_000_000, 3, List.of(List.of("p", TestEvents.hex(FOLLOWED))), ""));
            List<Event> protectedEvents = new ArrayList<>();
            int i = 0;
            for (Spec spec : specs) {
                byte[] author = switch (spec.author()) {
                    case OWNER -> OWNER;
                    case FOLLOWED -> FOLLOWED;
                    default -> STRANGERS.get(spec.author().ordinal() - 2);
                };
                int kind = spec.author() == Author.OWNER && spec.kind() == 3 ? 1 : spec.kind();
                List<List<String>> tags = spec.toOwner() ? List.of(List.of("p", TestEvents.hex(OWNER))) : List.of();
                Event event = TestEvents.event(author, spec.createdAt(), kind, tags, "event " + i++);
                PutResult result = store.put(event);
                boolean isProtected = spec.author() == Author.OWNER || spec.author() == Author.FOLLOWED || spec.toOwner();
                if (result == PutResult.STORED && (kind == 0 || kind == 3)) {
                    // Only the newest of a replaceable kind is meant to stay, whoever it addresses.
                    protectedEvents.removeIf(e -> e.kind() == event.kind() && java.util.Arrays.equals(e.pubkey(), event.pubkey()));
                }
                if (isProtected && result == PutResult.STORED) {
                    protectedEvents.add(event);
                }
                if (i % 7 == 0) {
                    store.enforceRetention();
                }
            }

            store.enforceRetention();

            Set<String> missing = new HashSet<>();
            for (Event e : protectedEvents) {
                if (store.get(e.id()).isEmpty()) {
                    missing.add(e.toString());
                }
            }
            assertEquals(Set.of(), missing, "protected events evicted");
            long protectedCount = protectedEvents.size() + 1;
            assertTrue(store.count() <= Math.max(cap, protectedCount), "count " + store.count() + " over the cap " + cap);
        }
    }
}
