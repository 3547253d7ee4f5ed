package org.nostrp2p.overlay.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of recomputing every route from a topology snapshot (what the router does on each
 * topology change), for random overlays of {@code peers} peers of degree about 8.
 * Run: {@code mvn -B -Pbench -pl overlay-core verify -DskipTests -Dbench=RoutesBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoutesBenchmark {

    @Param({"100", "500"})
    public int peers;

    private Topology topology;
    private PeerName source;

    @Setup
    public void build() {
        Random random = new Random(7);
        List<int[]> links = new ArrayList<>();
        for (int i = 1; i < peers; i++) {
            links.add(new int[] {i, random.nextInt(i)});
        }
        for (int k = 0; k < peers * 3; k++) {
            links.add(new int[] {random.nextInt(peers), random.nextInt(peers)});
        }
        TopologyArbitraries.Graph graph = new TopologyArbitraries.Graph(peers, links);
        topology = graph.seenFrom(0);
        source = graph.name(peers / 2);
    }

    /** Unicast tables (both kinds) and this peer's own broadcast tree, as after every change. */
    @Benchmark
    public Object recomputeRoutes() {
        Routes routes = Routes.of(topology);
        return routes.broadcast(topology.self());
    }

    /** The broadcast tree of another source, computed on the first broadcast from it. */
    @Benchmark
    public Object broadcastTreeOfAnotherSource() {
        return Routes.of(topology).broadcastAll(source);
    }
}
