package org.nostrp2p.overlay.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.SimRouteMap;
import org.nostrp2p.overlay.topology.Topology;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;

/**
 * The simulator's scenarios and its runner: how the overlay's topology gossip and broadcasts
 * behave at sizes one machine cannot run (see docs/overlay.md, "Planning past one machine").
 *
 * <pre>
 *   java -cp ... org.nostrp2p.overlay.sim.OverlaySimulation [seed]
 * </pre>
 *
 * or through {@link OverlaySimulationRun} (arguments: seed, from-scratch sizes, settled sizes,
 * whether to run the 1,000-peer from-scratch join, which takes minutes).
 * Each scenario is a function of its arguments and the seed: the same seed prints the same figures.
 */
public final class OverlaySimulation {

    /** How peers join in {@link #fromScratch}: as {@code nostrp2p bench overlay --join}. */
    enum Join { STAR, CHAIN, RANDOM }

    /**
     * What a topology scenario measured.
     *
     * @param convergeMillis virtual time until the last view changed, -1 when some view stayed stale
     * @param rounds         the longest chain of messages that carried news (hops)
     * @param messagesPerPeer topology messages sent per peer
     * @param bytesPerPeer   topology bytes sent per peer
     * @param maxReceivedBytes the most topology bytes one peer received
     */
    record Report(String scenario, int n, long seed, long convergeMillis, int rounds, double messagesPerPeer,
                  double bytesPerPeer, long maxReceivedBytes, double averageDegree, long lost, int changedPeers,
                  double ownMessagesPerPeer) {
        String json() {
            return String.format(Locale.ROOT, "{\"scenario\":\"%s\",\"n\":%d,\"seed\":%d,\"converge_ms\":%d,\"rounds\":%d,"
                            + "\"msgs_per_peer\":%.2f,\"bytes_per_peer\":%.0f,\"max_received_bytes\":%d,\"avg_degree\":%.2f,\"lost\":%d,"
                            + "\"changed_peers\":%d,\"own_msgs_per_peer\":%.2f}",
                    scenario, n, seed, convergeMillis, rounds, messagesPerPeer, bytesPerPeer, maxReceivedBytes, averageDegree, lost,
                    changedPeers, ownMessagesPerPeer);
        }
    }

    /**
     * What one application broadcast costs on a settled overlay, by overlay-core's own broadcast routes.
     *
     * @param receivedPerPeer copies each peer received, averaged over peers and sources (1.0 = a tree)
     * @param maxReceived     the most copies one peer received of one broadcast
     * @param maxRelays       the most copies one peer sent for one broadcast
     * @param unreached       peers a broadcast missed, summed over sources
     * @param depth           the most hops from a source
     */
    record BroadcastReport(int n, long seed, int sources, double receivedPerPeer, int maxReceived, int maxRelays,
                           int unreached, int depth, long millis) {
        String json() {
            return String.format(Locale.ROOT, "{\"scenario\":\"broadcast\",\"n\":%d,\"seed\":%d,\"sources\":%d,"
                            + "\"received_per_peer\":%.3f,\"max_received\":%d,\"max_relays\":%d,\"unreached\":%d,\"depth\":%d,\"bcast_ms\":%d}",
                    n, seed, sources, receivedPerPeer, maxReceived, maxRelays, unreached, depth, millis);
        }
    }

    private OverlaySimulation() {
    }

    /** N peers start at once and join as {@code join} says; runs until nothing is left to send. */
    static Report fromScratch(int n, Join join, Simulation.Config config) {
        Simulation sim = scratch(n, join, config);
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        boolean converged = sim.stale(all, n).isEmpty();
        return report(sim, "from-scratch-" + join.name().toLowerCase(Locale.ROOT), n, n, converged);
    }

    /** @return the simulation of {@link #fromScratch}, run to its end */
    static Simulation scratch(int n, Join join, Simulation.Config config) {
        Simulation sim = new Simulation(n, config);
        for (int i = 1; i < n; i++) {
            int peer = i;
            int target = switch (join) {
                case STAR -> 0;
                case CHAIN -> i - 1;
                case RANDOM -> sim.random.nextInt(i);
            };
            sim.at(0, () -> sim.peers[peer].dial(target, true));
        }
        startPeriodic(sim, n);
        sim.run(limit(config));
        return sim;
    }

    /** A settled overlay of N peers (random, target-degree regular); one more peer joins through a random one. */
    static Report joinOne(int n, Simulation.Config config) {
        Simulation sim = new Simulation(n + 1, config);
        sim.settle(n);
        int bootstrap = sim.random.nextInt(n);
        sim.at(0, () -> sim.peers[n].dial(bootstrap, true));
        startPeriodic(sim, n + 1);
        sim.run(limit(config));
        Set<Integer> changed = new HashSet<>();
        for (int i = 0; i <= n; i++) {
            if (sim.latest[i] != sim.base[i]) {
                changed.add(i);
            }
        }
        boolean converged = sim.stale(changed, n + 1).isEmpty();
        return report(sim, "join-one", n, n + 1, converged);
    }

    /** A settled overlay with periodic topology gossip and nothing changing, for {@code millis}: what the safety net costs. */
    static Report idle(int n, long millis, Simulation.Config config) {
        Simulation sim = new Simulation(n, config);
        sim.settle(n);
        startPeriodic(sim, n);
        sim.run(millis);
        return report(sim, "idle-" + millis / 1000 + "s-periodic-" + config.periodicMillis() / 1000 + "s", n, n, true);
    }

    /**
     * A partition of a settled overlay into two halves for {@code partitionMillis} while one peer
     * joins each half, then healed; periodic gossip repairs what the cut lost.
     */
    static Report partitionAndHeal(int n, long partitionMillis, Simulation.Config config) {
        Simulation sim = new Simulation(n + 2, config);
        sim.settle(n);
        Set<Integer> half = new HashSet<>();
        for (int i = 0; i < n / 2; i++) {
            half.add(i);
        }
        half.add(n);
        sim.partition(half);
        sim.at(0, () -> sim.peers[n].dial(0, true));
        sim.at(0, () -> sim.peers[n + 1].dial(n - 1, true));
        sim.at(partitionMillis, sim::heal);
        startPeriodic(sim, n + 2);
        sim.run(limit(config));
        Set<Integer> changed = new HashSet<>();
        for (int i = 0; i < n + 2; i++) {
            if (sim.latest[i] != sim.base[i]) {
                changed.add(i);
            }
        }
        boolean converged = sim.stale(changed, n + 2).isEmpty();
        return report(sim, "partition-heal", n, n + 2, converged);
    }

    /** Application broadcasts from {@code sources} random peers over a settled overlay, along overlay-core's broadcast routes. */
    static BroadcastReport broadcast(int n, int sources, Simulation.Config config) {
        Simulation sim = new Simulation(n, config);
        sim.settle(n);
        Map<PeerName, Topology.PeerView> views = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            PeerUpdate entry = sim.entry(i, sim.base[i]);
            Map<PeerName, ConnectionSummary> connections = new HashMap<>();
            for (ConnectionSummary c : entry.connections()) {
                connections.put(c.name(), c);
            }
            views.put(sim.names[i], new Topology.PeerView(entry.peer(), connections));
        }
        SimRouteMap routes = new SimRouteMap(new Topology(sim.names[0], views));
        Map<PeerName, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(sim.names[i], i);
        }
        long received = 0;
        int maxReceived = 0;
        int maxRelays = 0;
        int unreached = 0;
        int depth = 0;
        for (int s = 0; s < sources; s++) {
            int source = sim.random.nextInt(n);
            int[] copies = new int[n];
            int[] hops = new int[n];
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(source);
            copies[source] = 1;
            while (!queue.isEmpty()) {
                int at = queue.poll();
                List<PeerName> next = routes.broadcastHops(sim.names[source], sim.names[at]);
                maxRelays = Math.max(maxRelays, next.size());
                for (PeerName hop : next) {
                    int to = index.get(hop);
                    if (copies[to]++ == 0) {
                        hops[to] = hops[at] + 1;
                        depth = Math.max(depth, hops[to]);
                        queue.add(to);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (i == source) {
                    continue;
                }
                received += copies[i];
                maxReceived = Math.max(maxReceived, copies[i]);
                if (copies[i] == 0) {
                    unreached++;
                }
            }
        }
        return new BroadcastReport(n, config.seed(), sources, (double) received / ((long) sources * (n - 1)), maxReceived,
                maxRelays, unreached, depth, depth * config.latencyMillis());
    }

    private static void startPeriodic(Simulation sim, int count) {
        if (sim.config.periodicMillis() > 0) {
            for (int i = 0; i < count; i++) {
                SimPeer peer = sim.peers[i];
                sim.at(sim.random.nextInt((int) sim.config.periodicMillis()), peer::periodic);
            }
        }
    }

    private static long limit(Simulation.Config config) {
        return config.periodicMillis() > 0 ? 20 * config.periodicMillis() : 3_600_000;
    }

    private static Report report(Simulation sim, String scenario, int n, int count, boolean converged) {
        long maxReceived = 0;
        long links = 0;
        int changed = 0;
        for (int i = 0; i < count; i++) {
            changed += sim.latest[i] != sim.base[i] ? 1 : 0;
            maxReceived = Math.max(maxReceived, sim.receivedBytes[i]);
            links += sim.peers[i].degree();
        }
        return new Report(scenario, n, sim.config.seed(), converged ? sim.lastViewChange : -1, sim.maxDepth,
                (double) (sim.ownMessages + sim.newsMessages) / count, (double) sim.bytes / count, maxReceived,
                (double) links / count, sim.lost, changed, (double) sim.ownMessages / count);
    }

    /** Runs every scenario at the sizes docs/overlay.md reports; one JSON line each. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        Simulation.Config config = Simulation.Config.defaults(seed);
        List<int[]> sizes = new ArrayList<>();
        for (String size : (args.length > 1 ? args[1] : "40,100").split(",")) {
            sizes.add(new int[] {Integer.parseInt(size)});
        }
        for (int[] size : sizes) {
            for (Join join : Join.values()) {
                print(() -> fromScratch(size[0], join, config).json());
            }
        }
        for (String size : (args.length > 2 ? args[2] : "1000,10000").split(",")) {
            int n = Integer.parseInt(size);
            print(() -> joinOne(n, config).json());
            print(() -> broadcast(n, n >= 10_000 ? 3 : 10, config).json());
        }
        print(() -> idle(1000, 600_000, new Simulation.Config(seed, 50, 0, 6, 10_000)).json());
        if (args.length <= 3 || Boolean.parseBoolean(args[3])) {
            print(() -> fromScratch(1000, Join.RANDOM, config).json());
        }
    }

    private static void print(java.util.function.Supplier<String> scenario) {
        long start = System.nanoTime();
        String line = scenario.get();
        System.out.println(line.substring(0, line.length() - 1) + ",\"wall_ms\":" + (System.nanoTime() - start) / 1_000_000 + "}");
        System.out.flush();
    }
}
