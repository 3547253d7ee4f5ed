package org.nostrp2p.overlay.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerSummary;

/** Generators of random overlays for the routing properties. */
final class TopologyArbitraries {
    private TopologyArbitraries() {
    }

    /** An undirected graph: {@code n} peers and a list of links (pairs of indices). */
    record Graph(int n, List<int[]> links) {
        PeerName name(int i) {
            return new PeerName(0x0100 + i * 7L);
        }

        /** The topology as peer {@code self} sees it, every link established at both ends. */
        Topology seenFrom(int self) {
            Map<PeerName, Map<PeerName, ConnectionSummary>> connections = new HashMap<>();
            for (int i = 0; i < n; i++) {
                connections.put(name(i), new HashMap<>());
            }
            for (int[] link : links) {
                if (link[0] == link[1]) {
                    continue;
                }
                connections.get(name(link[0])).put(name(link[1]), new ConnectionSummary(name(link[1]), "10.0.0." + link[1] + ":6783", true, true));
                connections.get(name(link[1])).put(name(link[0]), new ConnectionSummary(name(link[0]), "10.0.0." + link[0] + ":40000", false, true));
            }
            Map<PeerName, Topology.PeerView> peers = new HashMap<>();
            for (int i = 0; i < n; i++) {
                peers.put(name(i), new Topology.PeerView(new PeerSummary(name(i), "p" + i, i + 1, 1, i, true), connections.get(name(i))));
            }
            return new Topology(name(self), peers);
        }

        /** @return the indices reachable from {@code start}, by plain breadth-first search */
        List<Integer> component(int start) {
            List<List<Integer>> adjacent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                adjacent.add(new ArrayList<>());
            }
            for (int[] link : links) {
                adjacent.get(link[0]).add(link[1]);
                adjacent.get(link[1]).add(link[0]);
            }
            List<Integer> seen = new ArrayList<>(List.of(start));
            for (int k = 0; k < seen.size(); k++) {
                for (int next : adjacent.get(seen.get(k))) {
                    if (!seen.contains(next)) {
                        seen.add(next);
                    }
                }
            }
            return seen;
        }
    }

    static Arbitrary<Graph> graphs() {
        return Arbitraries.integers().between(1, 24).flatMap(n -> {
            Arbitrary<int[]> link = Combinators.combine(Arbitraries.integers().between(0, n - 1),
                    Arbitraries.integers().between(0, n - 1)).as((a, b) -> new int[] {a, b});
            return link.list().ofMaxSize(n * 3).map(links -> new Graph(n, links));
        });
    }
}
