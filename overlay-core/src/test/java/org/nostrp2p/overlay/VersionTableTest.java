package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

class VersionTableTest {

    @Test
    void putsRemovalsAndClearsAgreeWithAMapOverManyRandomOperations() {
        PeerSlots slots = new PeerSlots();
        agreesWithMaps(slots, List.of(new VersionTable(slots)), new Random(7));
    }

    @Test
    void tablesSharingTheirSlotsEachAgreeWithAMapAndHoldOnlyTheSlotsInUse() {
        // Given three links' tables of one router, one of them sized for its names
        PeerSlots slots = new PeerSlots();
        List<VersionTable> tables = List.of(new VersionTable(slots), new VersionTable(slots, 500, Integer.MAX_VALUE), new VersionTable(slots));

        agreesWithMaps(slots, tables, new Random(8));

        // When every link goes, its table cleared: no slot is held, and the names
        // recorded again reuse the slots freed instead of numbering past them
        int span = slots.span();
        tables.forEach(VersionTable::clear);
        assertEquals(0, slots.size());
        assertEquals(0, slots.span(), "a table made now is sized for the names held, not for those once held");
        VersionTable next = new VersionTable(slots);
        for (int i = 0; i < span; i++) {
            next.put(PeerName.of(1_000_000 + i), 1, 1);
        }
        assertEquals(span, slots.span());
    }

    private static void agreesWithMaps(PeerSlots slots, List<VersionTable> tables, Random random) {
        // Given names from a small range (so removals hit, probes collide and wrap) and a large one
        List<Map<Long, long[]>> references = tables.stream().map(t -> (Map<Long, long[]>) new HashMap<Long, long[]>()).toList();
        for (int op = 0; op < 200_000; op++) {
            int which = random.nextInt(tables.size());
            VersionTable table = tables.get(which);
            Map<Long, long[]> reference = references.get(which);
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
            if (op % 1_000 == 0) {
                Set<Long> held = new HashSet<>();
                references.forEach(r -> held.addAll(r.keySet()));
                assertEquals(held.size(), slots.size(), "slots held for the names some table records");
            }
        }
        for (int i = 0; i < tables.size(); i++) {
            for (Map.Entry<Long, long[]> e : references.get(i).entrySet()) {
                int slot = tables.get(i).find(PeerName.of(e.getKey()));
                assertTrue(slot >= 0, "lost " + e.getKey());
                assertEquals(e.getValue()[1], tables.get(i).version(slot));
            }
        }
    }

    @Test
    void aTableAtItsLimitRecordsNoNewNameButStillUpdatesTheOnesItHas() {
        PeerSlots slots = new PeerSlots();
        VersionTable table = new VersionTable(slots, 0, 10);
        for (int i = 0; i < 1_000; i++) {
            table.put(PeerName.of(i), 1, i); // a neighbour's haves of invented names
        }
        assertEquals(10, table.size());
        assertEquals(10, slots.size());
        assertEquals(-1, table.find(PeerName.of(10)));

        table.put(PeerName.of(3), 2, 99);
        assertEquals(99, table.version(table.find(PeerName.of(3))));
        table.remove(PeerName.of(3));
        table.put(PeerName.of(500), 1, 1);
        assertTrue(table.find(PeerName.of(500)) >= 0, "room freed by a removal is room again");
    }

    @Test
    void aNewNameTakesTheLowestFreeSlotAndTheSpanFallsBackWhenTheHighestAreFreed() {
        PeerSlots slots = new PeerSlots();
        VersionTable table = new VersionTable(slots);
        for (int i = 0; i < 100; i++) {
            table.put(PeerName.of(i), 1, 1);
        }
        table.remove(PeerName.of(7));
        table.remove(PeerName.of(3));

        table.put(PeerName.of(1_000), 1, 1);
        assertEquals(3, table.find(PeerName.of(1_000)));
        for (int i = 50; i < 100; i++) {
            table.remove(PeerName.of(i));
        }
        assertEquals(50, slots.span());
    }

    @Test
    void theZeroNameIsAKeyLikeAnyOther() {
        PeerSlots slots = new PeerSlots();
        VersionTable table = new VersionTable(slots);
        table.put(PeerName.UNKNOWN, 5, 6);

        int slot = table.find(PeerName.UNKNOWN);
        assertEquals(6, table.version(slot));
        table.remove(PeerName.UNKNOWN);
        assertEquals(-1, table.find(PeerName.UNKNOWN));
        assertEquals(0, slots.size());
    }
}
