package org.nostrp2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Go mesh peer program ({@code interop/meshpeer}) in mixed mode, as {@code nostrp2p bench
 * overlay --go-peers K} runs it: one process holding K mesh routers that join this JVM's overlay
 * at a seed address ({@code -cluster K -seed host:port -expect M}). It reads the program's
 * JSON event lines (see {@code interop/meshpeer/mixed.go}) on a daemon thread and forwards its
 * progress lines (stderr) to the bench's progress stream, prefixed {@code go:}. Closing it
 * closes the program's stdin, which stops it; a program that does not stop in 5 s is killed.
 */
final class GoClusterProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int peers;
    private final Process process;
    private final PrintStream progress;
    private volatile long convergedMillis = -1;
    private volatile String timeoutReason;
    private volatile String impl;
    private volatile boolean ended;
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicLong lastArrivalMicros = new AtomicLong();

    private GoClusterProcess(int peers, Process process, PrintStream progress) {
        this.peers = peers;
        this.process = process;
        this.progress = progress;
    }

    /**
     * Starts the program.
     *
     * @param program    the built meshpeer executable
     * @param peers      how many Go routers (K, 1 or more)
     * @param join       how they join: star (all dial the seed), chain (the first dials the seed,
     *                   each next one the previous), random (the seed or an earlier Go router)
     * @param seed       the {@code host:port} of the Java router they join through
     * @param expect     how many peers the whole overlay holds, Java and Go
     * @param timeout    how long the Go side waits for its routers to reach all others
     * @param implLabel  the impl label it reports (go-2018, go-2019)
     * @param progress   where its progress lines go
     * @return the running program
     * @throws IOException when it cannot be started
     */
    static GoClusterProcess start(Path program, int peers, OverlayBench.Join join, String seed, int expect,
                                  Duration timeout, String implLabel, PrintStream progress) throws IOException {
        Process process = new ProcessBuilder(List.of(program.toString(), "-cluster", Integer.toString(peers),
                "-join", join.name().toLowerCase(Locale.ROOT), "-seed", seed, "-expect", Integer.toString(expect),
                "-timeout", timeout.toSeconds() + "s", "-impl", implLabel)).start();
        GoClusterProcess go = new GoClusterProcess(peers, process, progress);
        go.impl = implLabel;
        daemon("go-cluster-out", go::readEvents);
        daemon("go-cluster-err", go::forwardProgress);
        return go;
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void readEvents() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode event;
                try {
                    event = JSON.readTree(line);
                } catch (IOException e) {
                    progress.println("go: " + line);
                    continue;
                }
                switch (event.path("event").asText()) {
                    case "converged" -> {
                        impl = event.path("impl").asText(impl);
                        progress.printf(Locale.ROOT, "go: %d %s routers reach every peer after %d ms (%d CPU-ms, %.1f"
                                        + " connections per Go router)%n", peers, impl, event.path("ms").asLong(),
                                event.path("cpu_ms").asLong(), event.path("avg_conns_per_peer").asDouble());
                        if (event.has("connection_states")) {
                            progress.println("go: their connection makers hold " + event.get("connection_states")
                                    + (event.path("last_error").asText().isEmpty() ? "" : "; one failed target: "
                                    + event.path("last_error").asText()));
                        }
                        convergedMillis = event.path("ms").asLong();
                    }
                    case "timeout" -> {
                        timeoutReason = "the least Go router reaches " + event.path("least").asInt() + " of "
                                + event.path("of").asInt();
                        progress.println("go: no convergence: " + timeoutReason);
                    }
                    case "delivered" -> {
                        lastArrivalMicros.accumulateAndGet(event.path("at_unix_us").asLong(), Math::max);
                        delivered.incrementAndGet();
                    }
                    default -> progress.println("go: " + line);
                }
            }
        } catch (IOException e) {
            // the program ended
        } finally {
            try {
                process.waitFor(5, TimeUnit.SECONDS); // so failure() can give its exit status
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended = true;
        }
    }

    private void forwardProgress() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                progress.println("go: " + line);
            }
        } catch (IOException e) {
            // the program ended
        }
    }

    /** @return how many Go routers the program runs */
    int peers() {
        return peers;
    }

    /** @return the impl label the program reported (go-2018, go-2019) */
    String impl() {
        return impl;
    }

    /** @return whether every Go router has reported a route to every peer of the overlay */
    boolean converged() {
        return convergedMillis >= 0;
    }

    /** @return why the Go side is not converged and will not be (it timed out or exited), or null */
    String failure() {
        if (timeoutReason != null) {
            return timeoutReason;
        }
        if (ended && !converged()) {
            return "the Go program exited" + (process.isAlive() ? "" : " with status " + process.exitValue());
        }
        return null;
    }

    /** @return how many Go routers have received the benchmark broadcast */
    int delivered() {
        return delivered.get();
    }

    /** @return the wall-clock time of the latest arrival at a Go router, microseconds since the epoch; 0 if none */
    long lastArrivalMicros() {
        return lastArrivalMicros.get();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
