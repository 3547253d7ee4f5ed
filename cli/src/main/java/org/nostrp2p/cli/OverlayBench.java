package org.nostrp2p.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.nostrp2p.overlay.Gossip;
import org.nostrp2p.overlay.GossipData;
import org.nostrp2p.overlay.Gossiper;
import org.nostrp2p.overlay.PeerName;
import org.nostrp2p.overlay.Router;
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

    /** What one run measured; {@code convergeMillis} -1 when it did not converge in time. */
    record Result(int n, Join join, long convergeMillis, long broadcastMillis, int broadcastDelivered,
                  double averageConnections, long cpuMillis, long heapMegabytes, long topologyKilobytesPerPeer) {

        boolean converged() {
            return convergeMillis >= 0 && broadcastDelivered == n - 1;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"impl\":\"java\",\"n\":%d,\"join\":\"%s\",\"converge_ms\":%d,\"bcast_ms\":%d,"
                            + "\"bcast_delivered\":%d,\"avg_conns_per_peer\":%.1f,\"cpu_ms\":%d,\"heap_mb\":%d,\"topo_kb_per_peer\":%d}",
                    n, join.name().toLowerCase(Locale.ROOT), convergeMillis, broadcastMillis, broadcastDelivered,
                    averageConnections, cpuMillis, heapMegabytes, topologyKilobytesPerPeer);
        }
    }

    private static final String CHANNEL = "bench";
    private static final long BROADCAST_TIMEOUT_MILLIS = 10_000;

    private final int n;
    private final Join join;
    private final int degree;
    private final long timeoutMillis;
    private final PrintStream progress;

    OverlayBench(int n, Join join, int degree, int timeoutSeconds, PrintStream progress) {
        this.n = n;
        this.join = join;
        this.degree = degree;
        this.timeoutMillis = timeoutSeconds * 1000L;
        this.progress = progress;
    }

    Result run() throws InterruptedException {
        quietOverlayLogs();
        List<Router> routers = new ArrayList<>(n);
        AtomicLongArray arrivals = new AtomicLongArray(n);
        AtomicInteger delivered = new AtomicInteger();
        List<Gossip> gossips = new ArrayList<>(n);
        Random random = new Random(42);
        long cpuStart = processCpuNanos();
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
                            if (arrivals.compareAndSet(index, 0, System.nanoTime())) {
                                delivered.incrementAndGet();
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
                long convergeMillis = awaitConvergence(routers, start);
                long cpuMillis = (processCpuNanos() - cpuStart) / 1_000_000;
                double connections = routers.stream().mapToInt(Router::connectionCount).average().orElse(0);
                long broadcastMillis = -1;
                if (convergeMillis >= 0) {
                    long sent = System.nanoTime();
                    gossips.get(0).gossipBroadcast(GossipData.ofMessages("bench".getBytes(StandardCharsets.UTF_8)));
                    long deadline = sent + BROADCAST_TIMEOUT_MILLIS * 1_000_000;
                    while (delivered.get() < n - 1 && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    long last = 0;
                    for (int i = 1; i < n; i++) {
                        last = Math.max(last, arrivals.get(i));
                    }
                    broadcastMillis = last == 0 ? -1 : (last - sent) / 1_000_000;
                }
                long topologyBytes = routers.stream().mapToLong(r -> r.status().counters().topologyBytesSent()).sum();
                System.gc();
                Runtime rt = Runtime.getRuntime();
                long heap = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
                progress.printf(Locale.ROOT, "converged in %d ms, broadcast %d/%d in %d ms, %.1f connections per peer,"
                                + " %d CPU-ms, heap %d MB, topology sent %d KB per peer%n",
                        convergeMillis, delivered.get(), n - 1, broadcastMillis, connections, cpuMillis, heap,
                        topologyBytes / n / 1024);
                return new Result(n, join, convergeMillis, broadcastMillis, delivered.get(), connections, cpuMillis, heap,
                        topologyBytes / n / 1024);
            } finally {
                routers.parallelStream().forEach(Router::stop);
            }
        }
    }

    private long awaitConvergence(List<Router> routers, long start) throws InterruptedException {
        long deadline = start + timeoutMillis * 1_000_000;
        long nextReport = System.nanoTime() + 1_000_000_000L;
        while (true) {
            int minReachable = Integer.MAX_VALUE;
            long links = 0;
            for (Router r : routers) {
                minReachable = Math.min(minReachable, r.reachablePeerCount());
                links += r.connectionCount();
            }
            long now = System.nanoTime();
            if (routers.size() == n && minReachable == n - 1) {
                return (now - start) / 1_000_000;
            }
            if (now > deadline) {
                progress.printf(Locale.ROOT, "no convergence in %d s (least routes %d of %d)%n", timeoutMillis / 1000,
                        minReachable, n - 1);
                return -1;
            }
            if (now > nextReport) {
                progress.printf(Locale.ROOT, "%5.1f s: every router reaches at least %d of %d peers; %.1f links per peer%n",
                        (now - start) / 1e9, minReachable, n - 1, (double) links / routers.size());
                nextReport = now + 1_000_000_000L;
            }
            Thread.sleep(10);
        }
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
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
