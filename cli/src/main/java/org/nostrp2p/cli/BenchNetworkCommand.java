package org.nostrp2p.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostrp2p bench network}: the end-to-end figure a user sees (see {@link NetworkBench}):
 * N server processes on loopback, posts published through one, delivery to every other
 * server's {@code /req} timed. Progress on stderr, one JSON line on stdout.
 */
@Command(
        name = "network",
        mixinStandardHelpOptions = true,
        description = {
            "Start N NostrP2P server processes on loopback (fresh keys, a temp directory), all joined through the first;",
            "wait until the overlay converges, publish posts through the first server's REST API and time when each",
            "post is in every other server's /req. Progress goes to stderr, one JSON line to stdout:",
            "{\"servers\":..,\"posts\":..,\"delivered\":..,\"expected\":..,\"p50_ms\":..,\"p99_ms\":..,\"max_ms\":..,",
            "\"converge_ms\":..,\"converged_by\":\"status|logs\",\"rss_kb\":[..],\"rss_max_kb\":..}",
            "Every process started is stopped at the end, on failure and on Ctrl-C."})
final class BenchNetworkCommand implements Callable<Integer> {

    @Option(names = "--servers", defaultValue = "10", description = "How many server processes (2 or more; default ${DEFAULT-VALUE}).")
    int servers;

    @Option(names = "--posts", defaultValue = "20", description = "How many posts to publish (default ${DEFAULT-VALUE}).")
    int posts;

    @Option(names = "--timeout", defaultValue = "300", description = "Seconds the whole run may take (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NetworkBench bench;
        try {
            bench = new NetworkBench(servers, posts, Duration.ofSeconds(timeoutSeconds), System.err);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        NetworkBench.Result result;
        try {
            result = bench.run();
        } catch (IllegalStateException e) {
            System.err.println("bench network failed: " + e.getMessage());
            return 1;
        }
        System.out.println(result.json());
        System.out.flush();
        return result.complete() ? 0 : 1;
    }
}
