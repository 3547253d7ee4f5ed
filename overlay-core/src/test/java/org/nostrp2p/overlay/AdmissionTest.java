package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rule by which an accepting peer says it is full, at its limit for Java diallers, or has room for a linkless one. */
class AdmissionTest {

    @ParameterizedTest(name = "{0} connections, degree {1}, limit {2}: full {3}, at limit {4}, linkless room {5}")
    @CsvSource({
        // full at the degree, at the limit from twice it, with room for two linkless diallers beyond
        "5,  6, 64, false, false, false",
        "6,  6, 64, true,  false, false",
        "11, 6, 64, true,  false, false",
        "12, 6, 64, true,  true,  true",
        "13, 6, 64, true,  true,  true",
        "14, 6, 64, true,  true,  false",
        // the connection limit bounds the room
        "12, 6, 13, true,  true,  true",
        "13, 6, 13, true,  true,  false",
        // without a degree only the connection limit refuses
        "63, 0, 64, false, false, false",
        "64, 0, 64, false, true,  false",
    })
    void whatAnAcceptingPeerSaysOfItsRoom(int count, int degree, int connLimit, boolean full, boolean atLimit,
                                          boolean linklessRoom) {
        assertEquals(new Admission(full, atLimit, linklessRoom), Admission.of(count, degree, connLimit));
    }
}
