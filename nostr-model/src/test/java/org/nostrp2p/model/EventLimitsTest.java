package org.nostrp2p.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.crypto.SecretKey;

/** The bounds and time sanity of events from the network and from clients, at their boundaries. */
class EventLimitsTest {

    private static final SecretKey KEY = SecretKey.generate();
    private static final long NOW = 1_764_000_000L;
    private static final EventLimits LIMITS = EventLimits.DEFAULT;

    private static Event post(String content, List<List<String>> tags, long createdAt) {
        return Events.sign(KEY, createdAt, 1, tags, content);
    }

    @Test
    void anOrdinaryPostIsWithinEveryLimit() {
        assertTrue(LIMITS.violation(post("hello", List.of(List.of("p", "ab".repeat(32))), NOW), NOW).isEmpty());
    }

    @Test
    void anEventLargerThan64KibIsRefusedAndOneJustUnderIsNot() {
        String fits = "x".repeat(EventLimits.MAX_EVENT_BYTES - 300);
        String tooLarge = "x".repeat(EventLimits.MAX_EVENT_BYTES);

        assertTrue(LIMITS.sizeViolation(post(fits, List.of(), NOW)).isEmpty());
        assertTrue(LIMITS.sizeViolation(post(tooLarge, List.of(), NOW)).orElseThrow().contains("more than the 65536 accepted"));
    }

    @Test
    void moreThan2000TagsAreRefused() {
        List<List<String>> tags = Collections.nCopies(2001, List.of("t", "x"));

        assertTrue(LIMITS.sizeViolation(post("x", tags, NOW)).orElseThrow().contains("2001 tags"));
        assertTrue(LIMITS.sizeViolation(post("x", tags.subList(0, 2000), NOW)).isEmpty());
    }

    @Test
    void aTagValueOverOneKibIsRefused() {
        assertTrue(LIMITS.sizeViolation(post("x", List.of(List.of("t", "é".repeat(513))), NOW)).orElseThrow()
                .contains("1026 bytes"));
        assertTrue(LIMITS.sizeViolation(post("x", List.of(List.of("t", "é".repeat(512))), NOW)).isEmpty());
    }

    @Test
    void anEventMoreThan15MinutesAheadIsRefusedWithTheReason() {
        long limit = NOW + EventLimits.MAX_FUTURE_SECONDS;

        assertTrue(LIMITS.timeViolation(post("x", List.of(), limit), NOW).isEmpty());
        assertTrue(LIMITS.timeViolation(post("x", List.of(), limit + 1), NOW).orElseThrow().contains("901 s ahead"));
    }

    @Test
    void timesFrom2To53OnAreRefusedWhateverTheClock() {
        for (long t : new long[] {1L << 53, (1L << 53) + 1, Long.MAX_VALUE, -1}) {
            assertTrue(LIMITS.timeViolation(post("x", List.of(), t), Long.MAX_VALUE / 2).orElseThrow().contains("2^53"), "at " + t);
        }
    }

    @Test
    void aPacketDecodedUnderLimitsLeavesOutOnlyTheOversizedEventsWithReasons() {
        Event small = post("small", List.of(), NOW);
        Event huge = post("y".repeat(1 << 20), List.of(), NOW);
        Event manyTags = post("tags", IntStream.range(0, 2500).mapToObj(i -> List.of("t", "v")).toList(), NOW);
        Event alsoSmall = post("also small", List.of(), NOW);

        Np2pCodec.Screened screened = Np2pCodec.decodePacket(
                Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(small, huge, manyTags, alsoSmall))), LIMITS);

        assertEquals(List.of(small, alsoSmall), screened.packet().events());
        assertEquals(2, screened.refusals().size());
        assertTrue(screened.refusals().get(0).contains("bytes, more than the 65536"), screened.refusals().get(0));
        assertTrue(screened.refusals().get(1).contains("2500 tags"), screened.refusals().get(1));
    }

    @Test
    void eventKindsAreDefinedOnceWithTheirAudience() {
        String other = "cd".repeat(32);
        assertEquals(EventKind.Audience.EVERY_SERVER, EventKind.audienceOf(post("x", List.of(), NOW)));
        assertEquals(EventKind.Audience.TAGGED_USERS, EventKind.audienceOf(post("x", List.of(List.of("p", other)), NOW)));
        assertEquals(EventKind.Audience.EVERY_SERVER,
                EventKind.audienceOf(post("x", List.of(List.of("p", other), List.of("q")), NOW)));
        assertEquals(EventKind.Audience.OWN_SERVER, EventKind.audienceOf(Events.sign(KEY, NOW, 3, List.of(), "")));
        assertEquals(EventKind.Audience.TAGGED_USERS, EventKind.audienceOf(Events.sign(KEY, NOW, 7, List.of(List.of("p", other)), "+")));
        assertTrue(EventKind.isReplaceable(0) && EventKind.isReplaceable(3));
        assertFalse(EventKind.isReplaceable(1) || EventKind.isReplaceable(EventKind.RECENT_EVENTS));
    }
}
