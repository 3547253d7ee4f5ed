package org.nostrp2p.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.nostrp2p.overlay.Gossip;
import org.nostrp2p.overlay.GossipData;
import org.nostrp2p.overlay.Gossiper;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.Router;
import org.nostrp2p.overlay.RouterStatus;
import org.nostrp2p.overlay.SharedIo;

/**
 * N overlay routers in this JVM on loopback, joined as a star, a chain or at random; measures
 * how long until every router has a unicast route to every other, then how long one broadcast
 * from router 0 takes to reach all others. What {@code nostrp2p bench overlay} runs.
 */
final class OverlayBench {

    /** How the routers are joined. */
    enum Join {
        /** Every router dials router 0. */
        STAR,
        /** Router i dials router i-1. */
        CHAIN,
        /** Router i dials a random router before it. */
        RANDOM;

        static Join parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--join is star, chain or random, got '" + text + "'");
            }
        }
    }

    /**
     * What one run measured; {@code convergeMillis} -1 when it did not converge in time. With Go
     * peers ({@code goPeers} > 0, labelled {@code goImpl}), {@code n} counts the Java routers and
     * {@code broadcastDelivered} counts arrivals at Java and Go routers together.
     * {@code settleMillis} is how long after convergence the process went quiet (its routers
     * still at work on the last topology news) and {@code settledBroadcastMillis} how long a
     * broadcast then took to reach every Java router; both -1 when not measured (with Go peers,
     * or when the first broadcast missed some).
     */
    record Result(int n, Join join, long convergeMillis, long broadcastMillis, int broadcastDelivered,
                  double averageConnections, long cpuMillis, long jitMillis, long heapMegabytes,
                  long topologyKilobytesPerPeer, int goPeers, String goImpl, long settleMillis,
                  long settledBroadcastMillis) {

        boolean converged() {
            return convergeMillis >= 0 && broadcastDelivered == n - 1 + goPeers;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"impl\":\"java\",\"n\":%d,\"join\":\"%s\",\"converge_ms\":%d,\"bcast_ms\":%d,"
                            + "\"bcast_delivered\":%d,\"settle_ms\":%d,\"bcast_settled_ms\":%d,\"avg_conns_per_peer\":%.1f,"
                            + "\"cpu_ms\":%d,\"jit_ms\":%d,\"heap_mb\":%d,\"topo_kb_per_peer\":%d,\"jvm\":\"%s\"}",
                    n, join.name().toLowerCase(Locale.ROOT), convergeMillis, broadcastMillis, broadcastDelivered,
                    settleMillis, settledBroadcastMillis, averageConnections, cpuMillis, jitMillis, heapMegabytes,
                    topologyKilobytesPerPeer, jvm())
                    .replaceFirst("}$", goPeers > 0 ? ",\"go_peers\":" + goPeers + ",\"go_impl\":\"" + goImpl + "\"}" : "}");
        }
    }

    private static final String CHANNEL = "bench";
    private static final long BROADCAST_TIMEOUT_MILLIS = 10_000;
    private static final long MIXED_BROADCAST_TIMEOUT_MILLIS = 60_000;
    /** The process counts as quiet once its threads use less than this share of one core over {@link #QUIET_WINDOW_MILLIS}. */
    private static final double QUIET_CORES = 0.25;
    private static final long QUIET_WINDOW_MILLIS = 500;
    /** How long to wait for the process to go quiet after convergence before the second broadcast goes anyway. */
    private static final long SETTLE_TIMEOUT_MILLIS = 30_000;
    private static final byte[] FIRST = "bench".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SETTLED = "settled".getBytes(StandardCharsets.UTF_8);

    private final int n;
    private final Join join;
    private final int degree;
    private final long timeoutMillis;
    private final PrintStream progress;
    private Path goProgram;
    private int goPeerCount;
    private String goImpl;
    private GoClusterProcess go;

    OverlayBench(int n, Join join, int degree, int timeoutSeconds, PrintStream progress) {
        this.n = n;
        this.join = join;
        this.degree = degree;
        this.timeoutMillis = timeoutSeconds * 1000L;
        this.progress = progress;
    }

    /**
     * Mixed mode: once the Java routers are started, also runs {@code count} Go mesh routers in one
     * process of {@code program} (interop/meshpeer), joined to them (star: all dial Java router 0;
     * chain: hung off the last Java router; random: each via Java router 0 or an earlier Go router);
     * convergence then also waits for the Go routers to reach every peer, and the broadcast must
     * reach them too.
     *
     * @return this bench
     */
    OverlayBench withGoPeers(Path program, int count, String implLabel) {
        this.goProgram = program;
        this.goPeerCount = count;
        this.goImpl = implLabel;
        return this;
    }

    // How many peers every router must reach: the other Java routers and the Go ones.
    private int others() {
        return n - 1 + goPeerCount;
    }

    private void startGoPeers(List<Router> routers) throws java.io.IOException {
        if (goPeerCount > 0) {
            int seed = join == Join.CHAIN ? n - 1 : 0;
            go = GoClusterProcess.start(goProgram, goPeerCount, join, "127.0.0.1:" + routers.get(seed).port(),
                    n + goPeerCount, java.time.Duration.ofMillis(timeoutMillis), goImpl, progress);
        }
    }

    private boolean goConverged() {
        return go == null || go.converged();
    }

    private int goDelivered() {
        return go == null ? 0 : go.delivered();
    }

    // Milliseconds from the broadcast (wall clock, microseconds) to its last arrival at a Go router; -1 if none.
    private long goBroadcastMillis(long sentMicros) {
        return go == null || go.lastArrivalMicros() == 0 ? -1 : (go.lastArrivalMicros() - sentMicros) / 1000;
    }

    private static long wallMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    // Which routers the broadcast did not reach, when it missed some (the Go ones by count).
    private void reportMissed(AtomicLongArray arrivals) {
        List<String> missed = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            if (arrivals.get(i) == 0) {
                missed.add("b" + i);
            }
        }
        if (goDelivered() < goPeerCount) {
            missed.add((goPeerCount - goDelivered()) + " of the " + goPeerCount + " Go routers");
        }
        if (!missed.isEmpty()) {
            progress.println("the broadcast missed " + String.join(", ", missed));
        }
    }

    // With Go peers a broadcast can take seconds (see docs/benchmarks.md), so wait longer before
    // counting it as lost.
    private long broadcastTimeoutMillis() {
        return go == null ? BROADCAST_TIMEOUT_MILLIS : MIXED_BROADCAST_TIMEOUT_MILLIS;
    }

    // -Dnostrp2p.bench.trace=true: each Java router's arrival time, broadcasts relayed, router 0's
    // next hops for its own broadcast, and each link with the KB sent/received on it.
    private void traceBroadcast(List<Router> routers, AtomicLongArray arrivals, long sent) {
        PeerName source = routers.get(0).status().name();
        for (int i = 0; i < n; i++) {
            RouterStatus status = routers.get(i).status();
            progress.printf(Locale.ROOT, "trace b%d: arrived after %d ms, relayed %d, next hops %s, links %s%n", i,
                    arrivals.get(i) == 0 ? -1 : (arrivals.get(i) - sent) / 1_000_000, status.counters().broadcastsRelayed(),
                    status.broadcastRoutes().get(source), status.connections().stream()
                            .map(c -> c.nickName() + (c.established() ? "" : "(not established)") + " "
                                    + c.bytesSent() / 1024 + "K/" + c.bytesReceived() / 1024 + "K")
                            .toList());
        }
    }

    private void stopGoPeers() {
        if (go != null) {
            go.close();
            go = null;
        }
    }

    Result run() throws InterruptedException, java.io.IOException {
        quietOverlayLogs();
        List<Router> routers = new ArrayList<>(n);
        AtomicLongArray arrivals = new AtomicLongArray(n);
        AtomicInteger delivered = new AtomicInteger();
        AtomicLongArray settledArrivals = new AtomicLongArray(n);
        AtomicInteger settledDelivered = new AtomicInteger();
        List<Gossip> gossips = new ArrayList<>(n);
        Random random = new Random(42);
        long cpuStart = processCpuNanos();
        long jitStart = jitMillis();
        long start = System.nanoTime();
        try (SharedIo io = SharedIo.create(Math.max(2, Runtime.getRuntime().availableProcessors()))) {
            try {
                for (int i = 0; i < n; i++) {
                    Router.Builder builder = Router.builder().name(new PeerName(0x0e0000000000L + i)).nickName("b" + i)
                            .listen("127.0.0.1", 0).sharedIo(io);
                    if (degree >= 0) {
                        builder.targetDegree(degree);
                    }
                    Router router = builder.build();
                    int index = i;
                    gossips.add(router.newGossip(CHANNEL, new Gossiper() {

                        @Override
                        public GossipData onGossipBroadcast(PeerName source, byte[] update) {
                            boolean settled = java.util.Arrays.equals(update, SETTLED);
                            if ((settled ? settledArrivals : arrivals).compareAndSet(index, 0, System.nanoTime())) {
                                (settled ? settledDelivered : delivered).incrementAndGet();
                            }
                            return GossipData.ofMessages(update);
                        }

                        @Override
                        public void onGossipUnicast(PeerName source, byte[] message) {
                        }
                    }));
                    router.start();
                    routers.add(router);
                    if (i > 0) {
                        int seed = switch (join) {
                            case STAR -> 0;
                            case CHAIN -> i - 1;
                            case RANDOM -> random.nextInt(i);
                        };
                        router.connect(List.of("127.0.0.1:" + routers.get(seed).port()));
                    }
                }
                progress.printf(Locale.ROOT, "%5.1f s: %d routers started%n", (System.nanoTime() - start) / 1e9, n);
                startGoPeers(routers);
                long convergeMillis = awaitConvergence(routers, start);
                long cpuMillis = (processCpuNanos() - cpuStart) / 1_000_000;
                long jitMillis = jitMillis() - jitStart;
                double connections = routers.stream().mapToInt(Router::connectionCount).average().orElse(0);
                long broadcastMillis = -1;
                // -Dnostrp2p.bench.trace=true: what the routers do from convergence until quiet
                List<RouterStatus> atConvergence = convergeMillis >= 0 && Boolean.getBoolean("nostrp2p.bench.trace")
                        ? routers.stream().map(Router::status).toList() : null;
                if (convergeMillis >= 0) {
                    long sent = System.nanoTime();
                    long sentMicros = wallMicros();
                    gossips.get(0).gossipBroadcast(GossipData.ofMessages(FIRST));
                    broadcastMillis = awaitArrivals(sent, arrivals, () -> delivered.get() + goDelivered() >= others(),
                            broadcastTimeoutMillis());
                    if (go != null) {
                        progress.printf(Locale.ROOT, "broadcast: last Java arrival after %d ms, last Go arrival after %d ms%n",
                                broadcastMillis, goBroadcastMillis(sentMicros));
                    }
                    broadcastMillis = Math.max(broadcastMillis, goBroadcastMillis(sentMicros));
                    reportMissed(arrivals);
                    if (Boolean.getBoolean("nostrp2p.bench.trace")) {
                        traceBroadcast(routers, arrivals, sent);
                    }
                }
                long settleMillis = -1;
                long settledBroadcastMillis = -1;
                if (convergeMillis >= 0 && go == null && delivered.get() == n - 1) {
                    settleMillis = awaitQuiet(start, convergeMillis);
                    if (atConvergence != null) {
                        traceSettling(atConvergence, routers.stream().map(Router::status).toList());
                    }
                    settledBroadcastMillis = broadcastAndWait(gossips.get(0), SETTLED, settledArrivals, settledDelivered);
                    progress.printf(Locale.ROOT, "quiet %d ms after converging; a broadcast then reached %d/%d in %d ms%n",
                            settleMillis, settledDelivered.get(), n - 1, settledBroadcastMillis);
                }
                List<RouterStatus> statuses = routers.stream().map(Router::status).toList();
                List<RouterStatus.Counters> counters = statuses.stream().map(RouterStatus::counters).toList();
                long topologyBytes = counters.stream().mapToLong(RouterStatus.Counters::topologyBytesSent).sum();
                long repaired = counters.stream().mapToLong(RouterStatus.Counters::broadcastsRepaired).sum();
                long dropped = counters.stream().mapToLong(RouterStatus.Counters::broadcastCopiesDropped).sum();
                if (repaired + dropped > 0) {
                    progress.printf(Locale.ROOT, "broadcast: %d routers had it repaired (not brought by the tree), %d copies"
                            + " dropped%n", repaired, dropped);
                }
                long evicted = counters.stream().mapToLong(RouterStatus.Counters::handshakesEvicted).sum();
                long timedOut = counters.stream().mapToLong(RouterStatus.Counters::handshakesTimedOut).sum();
                if (evicted + timedOut > 0) {
                    // honest peers all: a handshake closed here is one a loop was too busy to read
                    progress.printf(Locale.ROOT, "handshakes closed by the slot guard: %d evicted from a full pool, %d past"
                            + " the deadline%n", evicted, timedOut);
                }
                progress.printf(Locale.ROOT, "per peer: %d topology entries received (%d of them news), %d links pruned to haves,"
                                + " %d wants for announced news%n",
                        perPeer(counters, RouterStatus.Counters::topologyEntriesReceived),
                        perPeer(counters, RouterStatus.Counters::topologyEntriesNew),
                        perPeer(counters, RouterStatus.Counters::topologyPrunes),
                        perPeer(counters, RouterStatus.Counters::topologyGrafts));
                progress.printf(Locale.ROOT, "per peer: %.1f connections ended, %d topology messages received (%d with news), %d sent, %d route"
                                + " computations, %d frames received%n",
                        statuses.stream().mapToInt(RouterStatus::terminationCount).average().orElse(0),
                        perPeer(counters, RouterStatus.Counters::topologyMessagesReceived),
                        perPeer(counters, RouterStatus.Counters::topologyUpdatesApplied),
                        perPeer(counters, RouterStatus.Counters::topologyMessagesSent),
                        perPeer(counters, RouterStatus.Counters::routeRecomputations),
                        perPeer(counters, RouterStatus.Counters::framesReceived));
                System.gc();
                Runtime rt = Runtime.getRuntime();
                long heap = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
                progress.printf(Locale.ROOT, "converged in %d ms, broadcast %d/%d in %d ms, %.1f connections per peer,"
                                + " %d CPU-ms (%d of them compiling), heap %d MB, topology sent %d KB per peer%n",
                        convergeMillis, delivered.get() + goDelivered(), others(), broadcastMillis, connections, cpuMillis,
                        jitMillis, heap,
                        topologyBytes / n / 1024);
                return new Result(n, join, convergeMillis, broadcastMillis, delivered.get() + goDelivered(), connections,
                        cpuMillis, jitMillis, heap, topologyBytes / n / 1024, goPeerCount, go == null ? null : go.impl(),
                        settleMillis, settledBroadcastMillis);
            } finally {
                stopGoPeers();
                routers.parallelStream().forEach(Router::stop);
            }
        }
    }

    private void traceSettling(List<RouterStatus> before, List<RouterStatus> after) {
        java.util.function.ToLongFunction<java.util.function.ToLongFunction<RouterStatus>> delta = f -> {
            long sum = 0;
            for (int i = 0; i < before.size(); i++) {
                sum += f.applyAsLong(after.get(i)) - f.applyAsLong(before.get(i));
            }
            return sum;
        };
        progress.printf(Locale.ROOT, "trace settling, all routers: %d connections ended, %d topology messages received (%d"
                        + " with news, %d entries, %d new), %d sent, %d route computations, %d wants, %d links pruned%n",
                delta.applyAsLong(RouterStatus::terminationCount),
                delta.applyAsLong(s -> s.counters().topologyMessagesReceived()),
                delta.applyAsLong(s -> s.counters().topologyUpdatesApplied()),
                delta.applyAsLong(s -> s.counters().topologyEntriesReceived()),
                delta.applyAsLong(s -> s.counters().topologyEntriesNew()),
                delta.applyAsLong(s -> s.counters().topologyMessagesSent()),
                delta.applyAsLong(s -> s.counters().routeRecomputations()),
                delta.applyAsLong(s -> s.counters().topologyGrafts()),
                delta.applyAsLong(s -> s.counters().topologyPrunes()));
    }

    // Waits until the process's threads use less than QUIET_CORES of a core over a window (the
    // routers have done with the last news of the join), at most SETTLE_TIMEOUT_MILLIS.
    // @return ms from convergence until then
    private static long awaitQuiet(long start, long convergeMillis) throws InterruptedException {
        long converged = start + convergeMillis * 1_000_000;
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_MILLIS * 1_000_000;
        long cpu = processCpuNanos();
        long at = System.nanoTime();
        while (at < deadline) {
            Thread.sleep(QUIET_WINDOW_MILLIS);
            long cpuNow = processCpuNanos();
            long now = System.nanoTime();
            if (cpuNow - cpu < QUIET_CORES * (now - at)) {
                return (now - converged) / 1_000_000;
            }
            cpu = cpuNow;
            at = now;
        }
        return (System.nanoTime() - converged) / 1_000_000;
    }

    // One broadcast from router 0 (its payload tells the arrivals apart): ms until the last Java
    // router had it, -1 if some did not within the timeout.
    private long broadcastAndWait(Gossip gossip, byte[] payload, AtomicLongArray arrivals, AtomicInteger delivered)
            throws InterruptedException {
        long sent = System.nanoTime();
        gossip.gossipBroadcast(GossipData.ofMessages(payload));
        long last = awaitArrivals(sent, arrivals, () -> delivered.get() >= n - 1, BROADCAST_TIMEOUT_MILLIS);
        return delivered.get() < n - 1 ? -1 : last;
    }

    // Polls (every millisecond) until done or the timeout: ms from sent to the last Java arrival
    // so far, -1 if none.
    private long awaitArrivals(long sent, AtomicLongArray arrivals, java.util.function.BooleanSupplier done,
                               long timeoutMillis) throws InterruptedException {
        long deadline = sent + timeoutMillis * 1_000_000;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        long last = 0;
        for (int i = 1; i < n; i++) {
            last = Math.max(last, arrivals.get(i));
        }
        return last == 0 ? -1 : (last - sent) / 1_000_000;
    }

    private long perPeer(List<RouterStatus.Counters> counters, java.util.function.ToLongFunction<RouterStatus.Counters> count) {
        return counters.stream().mapToLong(count).sum() / n;
    }

    // How many peers the router reaches: its unicast routes once it reaches every peer over any
    // link, before that the cheap count over any link (an upper bound). Routes are computed when
    // asked for: the progress line, once a second, counts over any link only, as asking 500
    // routers for their routes every second took a twentieth of a join's CPU.
    private int reachable(Router router) {
        int linked = router.linkedPeerCount();
        return linked < others() ? linked : router.reachablePeerCount();
    }

    // Polls every 20 ms, as the Go cluster does. Routes are computed when asked for, so a poll
    // asks as few routers as it can: from the one that was short last time, stopping at the
    // first still short.
    private long awaitConvergence(List<Router> routers, long start) throws InterruptedException {
        long deadline = start + timeoutMillis * 1_000_000;
        long nextReport = System.nanoTime() + 1_000_000_000L;
        int cursor = 0;
        JoinTimeline timeline = Boolean.getBoolean("nostrp2p.bench.trace") ? new JoinTimeline(n, start) : null;
        while (true) {
            boolean converged = routers.size() == n;
            for (int k = 0; k < routers.size() && converged; k++) {
                int i = (cursor + k) % routers.size();
                if (reachable(routers.get(i)) < others()) {
                    cursor = i;
                    converged = false;
                }
            }
            long now = System.nanoTime();
            if (timeline != null) {
                timeline.sample(routers, others(), now);
                if (converged) {
                    progress.println(timeline);
                }
            }
            if (converged && goConverged()) {
                return (now - start) / 1_000_000;
            }
            if (go != null && go.failure() != null) {
                progress.println("no convergence: " + go.failure());
                return -1;
            }
            if (now > deadline || now > nextReport) {
                report(routers, start, now, now > deadline);
                if (now > deadline) {
                    return -1;
                }
                nextReport = now + 1_000_000_000L;
            }
            Thread.sleep(20);
        }
    }

    // -Dnostrp2p.bench.trace=true: when each router got its first link, reached half the others
    // and reached them all (ms from the start, percentiles over the routers, sampled every poll):
    // what a join waits for.
    private static final class JoinTimeline {
        private final long start;
        private final long[] firstLink;
        private final long[] half;
        private final long[] all;

        JoinTimeline(int n, long start) {
            this.start = start;
            this.firstLink = new long[n];
            this.half = new long[n];
            this.all = new long[n];
        }

        void sample(List<Router> routers, int others, long now) {
            for (int i = 0; i < routers.size(); i++) {
                Router router = routers.get(i);
                if (firstLink[i] == 0 && router.connectionCount() > 0) {
                    firstLink[i] = now;
                }
                int reachable = all[i] == 0 ? router.reachablePeerCount() : others;
                if (half[i] == 0 && reachable >= others / 2) {
                    half[i] = now;
                }
                if (all[i] == 0 && reachable >= others) {
                    all[i] = now;
                }
            }
        }

        private String percentiles(long[] times) {
            long[] ms = java.util.Arrays.stream(times).map(t -> t == 0 ? -1 : (t - start) / 1_000_000).sorted().toArray();
            return String.format(Locale.ROOT, "p10 %d, p50 %d, p90 %d, max %d", ms[ms.length / 10], ms[ms.length / 2],
                    ms[ms.length * 9 / 10], ms[ms.length - 1]);
        }

        @Override
        public String toString() {
            return "trace: first link after " + percentiles(firstLink) + " ms; half the peers reached after "
                    + percentiles(half) + " ms; all after " + percentiles(all) + " ms";
        }
    }

    private void report(List<Router> routers, long start, long now, boolean timedOut) {
        int minReachable = Integer.MAX_VALUE;
        int short_ = 0;
        Router worst = null;
        long links = 0;
        for (Router r : routers) {
            int reachable = timedOut ? reachable(r) : r.linkedPeerCount();
            if (reachable < others()) {
                short_++;
            }
            if (reachable < minReachable) {
                minReachable = reachable;
                worst = r;
            }
            links += r.connectionCount();
        }
        if (timedOut) {
            progress.printf(Locale.ROOT, "no convergence in %d s (least routes %d of %d)%n", timeoutMillis / 1000,
                    minReachable, others());
        } else {
            progress.printf(Locale.ROOT, "%5.1f s: %d of %d routers reach every peer over any link; the least reaches %d;"
                            + " %.1f links per peer%s%n",
                    (now - start) / 1e9, routers.size() - short_, n, minReachable, (double) links / routers.size(),
                    worst == null || short_ == 0 ? "" : "; " + describe(worst));
        }
    }

    // Why the least-connected router is short: its links and what its connection maker waits for.
    private static String describe(Router router) {
        RouterStatus status = router.status();
        StringBuilder out = new StringBuilder(status.nickName()).append(": ").append(status.connections().size()).append(" links");
        for (RouterStatus.TargetStatus target : status.targets()) {
            if (!"connected".equals(target.state())) {
                out.append(", ").append(target.address()).append(' ').append(target.state());
                if (target.lastError() != null) {
                    out.append(" (").append(target.lastError()).append(')');
                }
                if (target.retryInMillis() >= 0) {
                    out.append(" retry in ").append(target.retryInMillis()).append(" ms");
                }
            }
        }
        return out.toString();
    }

    /**
     * The JVM the figures come from, as {@code "17.0.15+6 c1 Parallel"}: its version, its
     * compilers ({@code c1} with {@code -XX:TieredStopAtLevel=1} or lower, {@code c2} without
     * tiered compilation, else {@code tiered}) and its garbage collector.
     */
    static String jvm() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String compilers = "tiered";
        for (String arg : args) {
            if (arg.startsWith("-XX:TieredStopAtLevel=")) {
                compilers = arg.endsWith("=4") ? "tiered" : "c1";
            } else if (arg.equals("-XX:-TieredCompilation")) {
                compilers = "c2";
            }
        }
        String beans = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList().toString();
        String collector = beans.contains("G1") ? "G1" : beans.contains("PS ") ? "Parallel"
                : beans.contains("Copy") ? "Serial" : beans.contains("ZGC") ? "Z"
                : beans.contains("Shenandoah") ? "Shenandoah" : beans;
        return Runtime.version() + " " + compilers + " " + collector;
    }

    // How long the JIT compilers have spent compiling so far: a cold JVM spends most of a short
    // run's CPU on it (compiler threads beside the event loops, on the same two cores).
    private static long jitMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    // A thousand routers each logging every connection would drown the progress lines.
    private static void quietOverlayLogs() {
        if (org.slf4j.LoggerFactory.getLogger("org.nostrp2p.overlay") instanceof ch.qos.logback.classic.Logger logger) {
            // -Dnostrp2p.bench.log=DEBUG (or INFO) keeps them all, to study one run: the filter that
            // stops a server's log repeating a line would keep only the first few of each
            String level = System.getProperty("nostrp2p.bench.log");
            logger.setLevel(ch.qos.logback.classic.Level.toLevel(level, ch.qos.logback.classic.Level.WARN));
            if (level != null && logger.getLoggerContext() != null) {
                logger.getLoggerContext().getTurboFilterList().clear();
            }
        }
    }
}
