package org.nostrp2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class NetworkBenchTest {

    @Test
    @Timeout(240)
    void threeServersDeliverEveryPostToTheOtherTwoAndNoProcessOutlivesTheRun() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        NetworkBench bench = new NetworkBench(3, 2, Duration.ofSeconds(180), new PrintStream(progress, true, StandardCharsets.UTF_8));

        NetworkBench.Result result = bench.run();

        String log = progress.toString(StandardCharsets.UTF_8);
        assertEquals(4, result.delivered(), result.json() + "\n" + log);
        assertTrue(result.complete());
        assertTrue(result.p50Millis() >= 0 && result.p50Millis() <= result.p99Millis() && result.p99Millis() <= result.maxMillis(), result.json());
        assertEquals(3, result.rssKb().length);
        for (long rss : result.rssKb()) {
            assertTrue(rss > 0, "RSS read from /proc: " + result.json());
        }
        assertTrue(result.json().startsWith("{\"servers\":3,\"posts\":2,\"delivered\":4,"), result.json());
        List<Long> pids = bench.pids();
        assertEquals(3, pids.size());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server process " + pid + " still runs");
        }
    }

    @Test
    @Timeout(240)
    void aServerWhosePortWasTakenBeforeItCouldListenIsStartedAgainOnOthers() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // the first pair handed out is one another socket holds, as an outgoing connection's
            // local end once took a chosen port; the pairs after it are free
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            NetworkBench[] bench = new NetworkBench[1];
            bench[0] = new NetworkBench(2, 1, Duration.ofSeconds(180), new PrintStream(progress, true, StandardCharsets.UTF_8),
                    () -> first.getAndSet(false) ? taken.getLocalPort() : bench[0].freePortPair());

            NetworkBench.Result result = bench[0].run();

            String log = progress.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("server 0 could not listen on port " + taken.getLocalPort()), log);
            assertEquals(1, result.delivered(), result.json() + "\n" + log);
            List<Long> pids = bench[0].pids();
            assertEquals(2, pids.size(), "the relaunched server replaces the one that could not listen");
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server process " + pid + " still runs");
            }
        }
    }

    @Test
    void serversListenBelowTheKernelsEphemeralPortsWhereNoOutgoingConnectionTakesTheirPortsFirst() throws Exception {
        NetworkBench bench = new NetworkBench(2, 1, Duration.ofSeconds(10), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int below = NetworkBench.ephemeralLow();
        assertTrue(below > NetworkBench.FIRST_PORT + 2, "this test needs Linux's ephemeral range, read " + below);

        for (int i = 0; i < 50; i++) {
            int port = bench.freePortPair();

            assertTrue(port >= NetworkBench.FIRST_PORT && port + 1 < below, port + " and " + (port + 1) + " below " + below);
            try (java.net.ServerSocket overlay = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress());
                 java.net.ServerSocket rest = new java.net.ServerSocket(port + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
                assertEquals(port + 1, rest.getLocalPort(), "both free");
            }
        }
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, NetworkBench.percentile(sorted, 50));
        assertEquals(10, NetworkBench.percentile(sorted, 99));
        assertEquals(-1, NetworkBench.percentile(new long[0], 50));
    }
}
