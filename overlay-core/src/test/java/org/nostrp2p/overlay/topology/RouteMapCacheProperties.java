package org.nostrp2p.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerSummary;

/**
 * The arrays built from the previous snapshot ({@link RouteMap.Cache}) walk exactly as arrays
 * built afresh, over a run of snapshots in which some peers' entries change (links added,
 * dropped, half-established), peers appear and disappear.
 */
class RouteMapCacheProperties {

    @Provide
    Arbitrary<TopologyArbitraries.Graph> graphs() {
        return TopologyArbitraries.graphs();
    }

    @Property(tries = 150)
    void walksFromTheCacheEqualWalksFromScratch(@ForAll("graphs") TopologyArbitraries.Graph graph, @ForAll long seed) {
        Random random = new Random(seed);
        Topology topology = graph.seenFrom(0);
        RouteMap.Cache cache = new RouteMap.Cache();
        for (int step = 0; step < 8; step++) {
            assertSameWalks(RouteMap.of(topology), cache.of(topology), topology);
            topology = mutate(topology, random);
        }
    }

    @Property(tries = 150)
    void walksFromIndexedSnapshotsEqualWalksFromScratch(@ForAll("graphs") TopologyArbitraries.Graph graph, @ForAll long seed) {
        Random random = new Random(seed);
        Topology topology = graph.seenFrom(0);
        RouteMap.Cache cache = new RouteMap.Cache();
        IndexedPeers previous = null;
        for (int step = 0; step < 8; step++) {
            // as Peers publishes them: the numbering shared while the names stay the same
            IndexedPeers indexed = indexed(topology.peers(), previous);
            Topology snapshot = new Topology(topology.self(), indexed);
            assertEquals(topology.peers(), snapshot.peers());
            assertSameWalks(RouteMap.of(topology), cache.of(snapshot), topology);
            previous = indexed;
            topology = mutate(topology, random);
        }
    }

    private static IndexedPeers indexed(Map<PeerName, Topology.PeerView> peers, IndexedPeers previous) {
        NameIndex index = previous != null && previous.keySet().equals(peers.keySet())
                ? previous.index
                : NameIndex.of(peers.keySet().toArray(new PeerName[0]));
        Topology.PeerView[] views = new Topology.PeerView[index.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = peers.get(index.name(i));
        }
        return new IndexedPeers(index, views);
    }

    private static void assertSameWalks(RouteMap fresh, RouteMap cached, Topology topology) {
        for (PeerName start : topology.peers().keySet()) {
            for (boolean confirmed : new boolean[] {true, false}) {
                assertEquals(fresh.walk(start, null, confirmed).routes(), cached.walk(start, null, confirmed).routes(),
                        "walk from " + start + (confirmed ? " over confirmed links" : " over any link"));
                for (PeerName self : topology.peers().keySet()) {
                    assertEquals(fresh.broadcastHops(start, self, confirmed), cached.broadcastHops(start, self, confirmed),
                            "broadcast from " + start + " at " + self);
                }
            }
        }
    }

    // A new snapshot: unchanged peers keep their PeerView object (as Peers does), a few get a
    // new one with a link added, dropped or flipped between established and not; now and then
    // a peer appears (linked to one other) or one disappears.
    private static Topology mutate(Topology topology, Random random) {
        Map<PeerName, Topology.PeerView> peers = new HashMap<>(topology.peers());
        List<PeerName> names = new ArrayList<>(peers.keySet());
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes; c++) {
            PeerName name = names.get(random.nextInt(names.size()));
            PeerName other = names.get(random.nextInt(names.size()));
            Topology.PeerView view = peers.get(name);
            Map<PeerName, ConnectionSummary> connections = new HashMap<>(view.connections());
            if (connections.containsKey(other) && random.nextBoolean()) {
                connections.remove(other);
            } else if (!other.equals(name)) {
                connections.put(other, new ConnectionSummary(other, "10.0.0.9:6783", true, random.nextInt(3) > 0));
            }
            peers.put(name, new Topology.PeerView(view.summary(), connections));
        }
        int roll = random.nextInt(6);
        if (roll == 0) {
            PeerName born = new PeerName(0x9000 + random.nextInt(1000));
            PeerName to = names.get(random.nextInt(names.size()));
            if (!peers.containsKey(born)) {
                peers.put(born, new Topology.PeerView(new PeerSummary(born, "new", 7, 1, 1, true),
                        Map.of(to, new ConnectionSummary(to, "10.0.0.1:6783", true, true))));
            }
        } else if (roll == 1 && names.size() > 1) {
            PeerName gone = names.get(random.nextInt(names.size()));
            if (!gone.equals(topology.self())) {
                peers.remove(gone);
            }
        }
        return new Topology(topology.self(), peers);
    }
}
