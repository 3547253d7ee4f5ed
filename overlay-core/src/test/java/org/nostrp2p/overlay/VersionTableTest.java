package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

class VersionTableTest {

    @Test
    void putsRemovalsAndClearsAgreeWithAMapOverManyRandomOperations() {
        agreesWithAMap(new VersionTable(), new Random(7));
    }

    @Test
    void aTableSizedForItsNamesAndWrittenAtFoundSlotsAgreesWithAMapToo() {
        agreesWithAMap(new VersionTable(500), new Random(8));
    }

    private static void agreesWithAMap(VersionTable table, Random random) {
        // Given names from a small range (so removals hit, probes collide and wrap) and a large one
        Map<Long, long[]> reference = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            long value = random.nextBoolean() ? random.nextInt(600) : random.nextLong() & 0xFFFF_FFFF_FFFFL;
            PeerName name = PeerName.of(value);
            int kind = random.nextInt(100);
            if (kind < 60) {
                long uid = random.nextLong();
                long version = random.nextInt(1000);
                int found = table.find(name);
                if (found >= 0 && random.nextBoolean()) {
                    table.set(found, uid, version); // as TopologyNews records a newer version
                } else {
                    table.put(name, uid, version);
                }
                reference.put(value, new long[] {uid, version});
            } else if (kind < 99) {
                table.remove(name);
                reference.remove(value);
            } else if (random.nextInt(20) == 0) {
                table.clear();
                reference.clear();
            }
            assertEquals(reference.size(), table.size());
            int slot = table.find(name);
            long[] expected = reference.get(value);
            assertEquals(expected != null, slot >= 0);
            if (expected != null) {
                assertEquals(expected[0], table.uid(slot));
                assertEquals(expected[1], table.version(slot));
            }
        }
        for (Map.Entry<Long, long[]> e : reference.entrySet()) {
            int slot = table.find(PeerName.of(e.getKey()));
            assertTrue(slot >= 0, "lost " + e.getKey());
            assertEquals(e.getValue()[1], table.version(slot));
        }
    }

    @Test
    void theZeroNameIsAKeyLikeAnyOther() {
        VersionTable table = new VersionTable();
        table.put(PeerName.UNKNOWN, 5, 6);

        int slot = table.find(PeerName.UNKNOWN);
        assertEquals(6, table.version(slot));
        table.remove(PeerName.UNKNOWN);
        assertEquals(-1, table.find(PeerName.UNKNOWN));
    }
}
