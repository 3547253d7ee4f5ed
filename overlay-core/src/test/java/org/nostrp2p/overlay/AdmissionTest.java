package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The rule by which an accepting peer says it is full, at its limit for Java diallers, or has room for a linkless one. */
class AdmissionTest {

    @Test
    void fullAtTheDegreeAtTheLimitFromTwiceItWithRoomForTwoLinklessDiallersBeyond() {
        assertEquals(new Admission(false, false, false), Admission.of(5, 6, 64));
        assertEquals(new Admission(true, false, false), Admission.of(6, 6, 64));
        assertEquals(new Admission(true, false, false), Admission.of(11, 6, 64));
        assertEquals(new Admission(true, true, true), Admission.of(12, 6, 64));
        assertEquals(new Admission(true, true, true), Admission.of(13, 6, 64));
        assertEquals(new Admission(true, true, false), Admission.of(14, 6, 64));
    }

    @Test
    void theConnectionLimitBoundsTheRoomAndWithoutADegreeOnlyItRefuses() {
        assertEquals(new Admission(true, true, true), Admission.of(12, 6, 13));
        assertEquals(new Admission(true, true, false), Admission.of(13, 6, 13));
        assertEquals(new Admission(false, false, false), Admission.of(63, 0, 64));
        assertEquals(new Admission(false, true, false), Admission.of(64, 0, 64));
    }
}
