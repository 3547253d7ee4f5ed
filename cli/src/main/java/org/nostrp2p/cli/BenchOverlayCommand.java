package org.nostrp2p.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostrp2p bench overlay}: runs N overlay routers in this JVM on loopback (see
 * {@link OverlayBench}), prints progress to stderr and one JSON line to stdout; with
 * {@code --go}, then runs the Go mesh peer program's cluster mode for the same N and join and
 * prints its line too; with {@code --go-peers K}, runs K Go routers joined to the Java ones
 * instead (a mixed overlay, see {@link OverlayBench#withGoPeers}).
 */
@Command(
        name = "overlay",
        mixinStandardHelpOptions = true,
        description = {
            "Start N routers in this JVM on loopback, joined as a star (all dial peer 0), a chain (peer i dials i-1)",
            "or at random (peer i dials a random earlier one); wait until every router has a route to every other,",
            "then broadcast once from peer 0; once the process is quiet (under a quarter of a core), broadcast again.",
            "Progress goes to stderr, one JSON line to stdout:",
            "{\"impl\":\"java\",\"n\":..,\"join\":..,\"converge_ms\":..,\"bcast_ms\":..,\"bcast_delivered\":..,",
            "\"settle_ms\":..,\"bcast_settled_ms\":..,\"avg_conns_per_peer\":..,\"cpu_ms\":..,\"jit_ms\":..,\"heap_mb\":..,",
            "\"topo_kb_per_peer\":..} (settle_ms: from convergence until quiet; bcast_settled_ms: the second broadcast;",
            "jit_ms: time the JIT compilers spent in the run; --warmup K runs the cluster K times first, unmeasured).",
            "With --go-peers K (and --go), K Go mesh routers join the Java ones and the line gains \"go_peers\":K."})
final class BenchOverlayCommand implements Callable<Integer> {

    @Option(names = "--nodes", required = true, description = "How many routers (2 or more).")
    int nodes;

    @Option(names = "--join", defaultValue = "star", description = "star, chain or random (default ${DEFAULT-VALUE}).")
    String join;

    @Option(names = "--degree", defaultValue = "-1", description = "Target degree (default: the router's default).")
    int degree;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for convergence (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--go", description = "Path of the Go mesh peer program (interop/meshpeer) to run the same cluster after (or to mix in: --go-peers).")
    String goPath;

    @Option(names = "--go-peers", defaultValue = "0", description = {
        "Mixed overlay: also run this many Go mesh routers (one --go process) joined to the Java ones",
        "(star: they dial Java router 0; chain: a Go chain hangs off the last Java router; random: each via Java router 0 or an earlier Go router);",
        "convergence waits for them too, the broadcast must reach them, and no separate Go run follows."})
    int goPeers;

    @Option(names = "--go-impl", defaultValue = "go-2018", description = "The label of the --go program's mesh version in the JSON lines (default ${DEFAULT-VALUE}).")
    String goImpl;

    @Option(names = "--warmup", defaultValue = "0", description = {
        "Run the same cluster this many times first, unmeasured, in this JVM (default ${DEFAULT-VALUE}): the measured run",
        "then shows a warm JVM, as a long-running server is, instead of one that spends most of its CPU compiling."})
    int warmups;

    @Override
    public Integer call() throws Exception {
        OverlayBench.Join joinKind = OverlayBench.Join.parse(join);
        if (nodes < 2) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--nodes must be at least 2");
        }
        if (goPeers < 0 || (goPeers > 0 && goPath == null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--go-peers needs a count of 1 or more and --go PATH");
        }
        if (warmups < 0 || (warmups > 0 && goPeers > 0)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--warmup needs a count of 0 or more, and is not for mixed runs (--go-peers)");
        }
        for (int i = 1; i <= warmups; i++) {
            OverlayBench.Result warm = new OverlayBench(nodes, joinKind, degree, timeoutSeconds,
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).run();
            System.err.printf(java.util.Locale.ROOT, "warm-up %d of %d: converged in %d ms, %d CPU-ms (%d compiling)%n",
                    i, warmups, warm.convergeMillis(), warm.cpuMillis(), warm.jitMillis());
        }
        OverlayBench bench = new OverlayBench(nodes, joinKind, degree, timeoutSeconds, System.err);
        if (goPeers > 0) {
            bench.withGoPeers(java.nio.file.Path.of(goPath), goPeers, goImpl);
        }
        OverlayBench.Result result = bench.run();
        System.out.println(result.json());
        System.out.flush();
        int exit = result.converged() ? 0 : 1;
        if (goPath != null && goPeers == 0) {
            exit = Math.max(exit, runGo(joinKind));
        }
        return exit;
    }

    private int runGo(OverlayBench.Join joinKind) throws Exception {
        Process go = new ProcessBuilder(List.of(goPath, "-cluster", Integer.toString(nodes), "-join",
                joinKind.name().toLowerCase(java.util.Locale.ROOT), "-timeout", timeoutSeconds + "s", "-impl", goImpl))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(go.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println(line);
            }
        }
        if (!go.waitFor(timeoutSeconds + 30L, TimeUnit.SECONDS)) {
            go.destroyForcibly();
            return 1;
        }
        return go.exitValue();
    }
}
