package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

class ConnectionSummaryTest {

    @Test
    void sharedGivesTheSummaryMadeBeforeForTheSameValuesAndItsOwnForOthers() {
        PeerName name = PeerName.of(0x0e0000000042L);
        ConnectionSummary first = ConnectionSummary.shared(name, "127.0.0.1:40001", true, true);

        assertSame(first, ConnectionSummary.shared(new PeerName(0x0e0000000042L), new String("127.0.0.1:40001"), true, true));
        assertEquals(new ConnectionSummary(name, "127.0.0.1:40001", false, true),
                ConnectionSummary.shared(name, "127.0.0.1:40001", false, true));
        assertEquals(new ConnectionSummary(name, "127.0.0.1:40001", true, false),
                ConnectionSummary.shared(name, "127.0.0.1:40001", true, false));
        assertEquals(new ConnectionSummary(name, "127.0.0.1:40002", true, true),
                ConnectionSummary.shared(name, "127.0.0.1:40002", true, true));
    }

    @Test
    void summariesThatShareASlotAreEachTheirOwnValues() {
        for (int i = 0; i < 30_000; i++) {
            PeerName name = PeerName.of(i % 700 + 1);
            String address = "10.0.0." + (i % 250) + ":" + (6000 + i % 13);
            boolean outbound = i % 3 == 0;
            boolean established = i % 5 != 0;
            assertEquals(new ConnectionSummary(name, address, outbound, established),
                    ConnectionSummary.shared(name, address, outbound, established));
        }
    }
}
