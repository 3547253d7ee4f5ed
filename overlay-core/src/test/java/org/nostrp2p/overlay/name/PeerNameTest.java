package org.nostrp2p.overlay.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PeerNameTest {

    @Test
    void ofGivesAnEqualNameAndTheSameInstanceForAValueMadeJustBefore() {
        PeerName first = PeerName.of(0x0e0000000123L);

        assertEquals(new PeerName(0x0e0000000123L), first);
        assertSame(first, PeerName.of(0x0e0000000123L));
        assertSame(first, PeerName.fromBytes(new byte[] {0x0e, 0, 0, 0, 0x01, 0x23}));
    }

    @Test
    void namesThatShareASlotAreEachStillTheirOwnValue() {
        // more names than slots: every one comes back equal to its value, whichever instance
        for (long v = 1; v <= 20_000; v++) {
            assertEquals(v, PeerName.of(v).value());
        }
        for (long v = 1; v <= 20_000; v += 7) {
            assertEquals(v, PeerName.of(v).value());
        }
    }

    @Test
    void ofRefusesAValueWiderThan48BitsAsTheConstructorDoes() {
        assertThrows(IllegalArgumentException.class, () -> PeerName.of(1L << 48));
    }
}
