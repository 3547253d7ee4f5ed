package org.nostrp2p.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nostrp2p bench}: measurements a user can run on their own machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the overlay: how fast routers converge and how fast a broadcast spreads.",
        subcommands = {BenchOverlayCommand.class, BenchNetworkCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
