package org.nostrp2p.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;

class LinkMapTest {

    private static ConnectionSummary link(long name, String address) {
        return new ConnectionSummary(new PeerName(name), address, true, true);
    }

    @Test
    void itIsTheMapAHashMapWouldBeForListsShortAndLongWithRepeatedNames() {
        Random random = new Random(3);
        for (int size : new int[] {0, 1, 5, 8, 9, 40, 256}) {
            List<ConnectionSummary> links = new ArrayList<>();
            Map<PeerName, ConnectionSummary> expected = new HashMap<>();
            for (int i = 0; i < size; i++) {
                ConnectionSummary c = link(random.nextInt(Math.max(1, size)) + 1, "10.0.0." + i + ":6783");
                links.add(c);
                expected.put(c.name(), c); // a later link of the same name replaces the earlier
            }

            LinkMap map = LinkMap.of(links);

            assertEquals(expected, map);
            assertEquals(map, expected);
            assertEquals(expected.size(), map.size());
            assertEquals(expected.keySet(), map.keySet());
            assertEquals(new HashMap<>(expected).entrySet(), map.entrySet());
            assertEquals(expected.size(), map.values().size());
            for (long name = 0; name <= size + 2; name++) {
                PeerName key = new PeerName(name);
                assertEquals(expected.get(key), map.get(key), "size " + size + ", name " + name);
                assertEquals(expected.containsKey(key), map.containsKey(key));
            }
            assertNull(map.get("not a name"));
        }
    }

    @Test
    void itIsImmutableAndAnEmptyListIsTheSharedEmptyMap() {
        LinkMap map = LinkMap.of(List.of(link(2, "a:1"), link(1, "b:2")));

        assertThrows(UnsupportedOperationException.class, () -> map.put(new PeerName(3), link(3, "c:3")));
        assertThrows(UnsupportedOperationException.class, () -> map.remove(new PeerName(1)));
        assertThrows(UnsupportedOperationException.class, () -> map.values().clear());
        assertSame(LinkMap.EMPTY, LinkMap.of(List.of()));
        assertTrue(LinkMap.EMPTY.isEmpty());
        assertFalse(map.isEmpty());
        assertEquals(List.of(new PeerName(1), new PeerName(2)), new ArrayList<>(map.keySet()), "in name order");
    }
}
