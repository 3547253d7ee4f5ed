package org.nostrp2p.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.nostrp2p.overlay.name.PeerName;

/** Routes on random overlays: unicast reaches every reachable peer, broadcast reaches each exactly once. */
class RoutesProperties {

    @Provide
    Arbitrary<TopologyArbitraries.Graph> graphs() {
        return TopologyArbitraries.graphs();
    }

    @Property(tries = 200)
    void everyReachablePeerHasANextHopAndFollowingHopsArrives(@ForAll("graphs") TopologyArbitraries.Graph graph) {
        Map<Integer, Routes> routes = routesOfEveryPeer(graph);
        for (int source = 0; source < graph.n(); source++) {
            List<Integer> reachable = graph.component(source);
            for (int destination = 0; destination < graph.n(); destination++) {
                if (destination == source) {
                    continue;
                }
                Optional<PeerName> hop = routes.get(source).unicast(graph.name(destination));
                assertEquals(reachable.contains(destination), hop.isPresent(),
                        "next hop from " + source + " to " + destination);
                if (hop.isEmpty()) {
                    continue;
                }
                int at = source;
                for (int steps = 0; at != destination; steps++) {
                    assertTrue(steps < graph.n(), "a unicast from " + source + " to " + destination + " loops");
                    PeerName next = routes.get(at).unicast(graph.name(destination)).orElseThrow();
                    assertTrue(routes.get(at).topology().peer(graph.name(at)).connections().containsKey(next),
                            "the next hop is a neighbour");
                    at = indexOf(graph, next);
                }
            }
        }
    }

    @Property(tries = 200)
    void aBroadcastAlongTheSourcesTreeReachesEveryPeerExactlyOnce(@ForAll("graphs") TopologyArbitraries.Graph graph) {
        Map<Integer, Routes> routes = routesOfEveryPeer(graph);
        for (int source = 0; source < graph.n(); source++) {
            PeerName sourceName = graph.name(source);
            Map<Integer, Integer> received = new HashMap<>();
            Deque<Integer> forwarding = new ArrayDeque<>(List.of(source));
            while (!forwarding.isEmpty()) {
                int at = forwarding.poll();
                for (PeerName hop : routes.get(at).broadcastAll(sourceName)) {
                    int next = indexOf(graph, hop);
                    received.merge(next, 1, Integer::sum);
                    assertTrue(received.get(next) <= 1, "peer " + next + " received a broadcast from " + source + " twice");
                    forwarding.add(next);
                }
            }
            List<Integer> reachable = graph.component(source);
            for (int peer = 0; peer < graph.n(); peer++) {
                int expected = peer != source && reachable.contains(peer) ? 1 : 0;
                assertEquals(expected, received.getOrDefault(peer, 0), "broadcast from " + source + " at " + peer);
            }
        }
    }

    @Property(tries = 200)
    void unicastRoutesIgnoreLinksOnlyOneEndReports(@ForAll("graphs") TopologyArbitraries.Graph graph) {
        if (graph.n() < 2) {
            return;
        }
        // peer 0 claims a link to the last peer, which does not list it back
        Topology full = graph.seenFrom(0);
        Map<PeerName, Topology.PeerView> peers = new HashMap<>(full.peers());
        PeerName last = graph.name(graph.n() - 1);
        Topology.PeerView zero = peers.get(graph.name(0));
        Map<PeerName, org.nostrp2p.overlay.wire.ConnectionSummary> connections = new HashMap<>(zero.connections());
        if (connections.containsKey(last)) {
            return;
        }
        connections.put(last, new org.nostrp2p.overlay.wire.ConnectionSummary(last, "10.0.0.9:6783", true, true));
        peers.put(graph.name(0), new Topology.PeerView(zero.summary(), connections));
        Routes routes = Routes.of(new Topology(graph.name(0), peers));
        assertEquals(graph.component(0).contains(graph.n() - 1), routes.unicast(last).isPresent());
        assertTrue(routes.unicastAll(last).isPresent());
        assertFalse(routes.unicast(graph.name(0)).isPresent());
    }

    private static Map<Integer, Routes> routesOfEveryPeer(TopologyArbitraries.Graph graph) {
        Map<Integer, Routes> routes = new HashMap<>();
        for (int i = 0; i < graph.n(); i++) {
            routes.put(i, Routes.of(graph.seenFrom(i)));
        }
        return routes;
    }

    private static int indexOf(TopologyArbitraries.Graph graph, PeerName name) {
        for (int i = 0; i < graph.n(); i++) {
            if (graph.name(i).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("unknown peer " + name);
    }
}
