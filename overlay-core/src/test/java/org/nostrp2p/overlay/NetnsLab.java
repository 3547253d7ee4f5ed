package org.nostrp2p.overlay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces made for one test: hosts, veth links between them, routes, nftables rules,
 * all removed again by {@link #close()}. Needs root, {@code ip} (iproute2) and, for firewall
 * and NAT rules, {@code nft}. Addresses used inside are 10.x, which exist only in these
 * namespaces; nothing is sent anywhere else.
 */
final class NetnsLab implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private final String tag;
    private final List<String> namespaces = new ArrayList<>();

    NetnsLab(String tag) {
        // short: interface names are at most 15 characters
        this.tag = tag + (ProcessHandle.current().pid() % 1000);
    }

    /** @return why namespaces cannot be used on this machine, or empty when they can */
    static Optional<String> unavailableReason(boolean needNft) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root (running as " + System.getProperty("user.name") + ")");
        }
        if (needNft && !onPath("nft")) {
            return Optional.of("nft (Debian package nftables) is not installed");
        }
        String probe = "np2pprobe" + ProcessHandle.current().pid();
        try {
            exec(List.of("ip", "netns", "add", probe));
            exec(List.of("ip", "netns", "del", probe));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("cannot make a network namespace here: " + e.getMessage());
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (new java.io.File(dir, command).canExecute()) {
                return true;
            }
        }
        return new java.io.File("/usr/sbin/" + command).canExecute();
    }

    /** Makes a namespace with its loopback up; returns its full name. */
    String host(String name) {
        String ns = tag + name;
        exec(List.of("ip", "netns", "add", ns));
        namespaces.add(ns);
        in(ns, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Links two namespaces with a veth pair and gives each end an address ({@code 10.x.y.z/len}). */
    void link(String nsA, String addressA, String nsB, String addressB) {
        String ifA = "v" + (namespaces.indexOf(nsA)) + "x" + namespaces.indexOf(nsB);
        String ifB = "v" + (namespaces.indexOf(nsB)) + "x" + namespaces.indexOf(nsA);
        exec(List.of("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB));
        in(nsA, "ip", "addr", "add", addressA, "dev", ifA);
        in(nsB, "ip", "addr", "add", addressB, "dev", ifB);
        in(nsA, "ip", "link", "set", ifA, "up");
        in(nsB, "ip", "link", "set", ifB, "up");
    }

    /** Runs a command inside {@code ns} and returns what it printed; fails on a non-zero exit. */
    String in(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return exec(full);
    }

    /** Loads an nftables script (the text {@code nft -f -} reads) inside {@code ns}. */
    void nft(String ns, String script) {
        run(List.of("ip", "netns", "exec", ns, "nft", "-f", "-"), script);
    }

    /** @return the command that runs {@code command} inside {@code ns} (for a long-lived child) */
    static List<String> wrap(String ns, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        return full;
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            try {
                exec(List.of("ip", "netns", "del", ns));
            } catch (RuntimeException e) {
                System.err.println("could not remove namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }

    private static String exec(List<String> command) {
        return run(command, null);
    }

    private static String run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": no answer in " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.trim());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
