package org.nostrp2p.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * nostr-tools (with ws), the library most web Nostr clients are built on, run by Node as a
 * separate process: {@code src/test/node/relay-client/relay-client.mjs}. The first use installs
 * the pinned packages (package-lock.json) from the npm registry into {@code target/node-relay-client}.
 */
final class NostrToolsClient {

    static final Path SOURCE = Path.of("src", "test", "node", "relay-client");
    static final Path HOME = Path.of("target", "node-relay-client");

    private NostrToolsClient() {
    }

    /** Installs nostr-tools and ws once per build; fails with what to do when Node or npm is missing. */
    static synchronized void install() throws IOException, InterruptedException {
        Files.createDirectories(HOME);
        for (String file : List.of("package.json", "package-lock.json", "relay-client.mjs")) {
            Files.copy(SOURCE.resolve(file), HOME.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(HOME.resolve("node_modules").resolve("nostr-tools"))
                && Files.isDirectory(HOME.resolve("node_modules").resolve("ws"))) {
            return;
        }
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(HOME.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("these tests need Node 18+ and npm (apt-get install nodejs npm): " + e.getMessage(), e);
        }
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci failed in " + HOME + ":\n" + output);
        }
    }

    /** A running nostr-tools client; its output lines arrive in {@link #lines}. */
    static final class Run implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();

        Run(List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of("node", "relay-client.mjs"));
            command.addAll(args);
            process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (all) {
                            all.add(line);
                        }
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "nostr-tools-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** @return the next line starting with {@code prefix}, skipping others; fails after 30 s */
        String next(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
            }
            synchronized (all) {
                throw new AssertionError("nostr-tools printed no line starting with " + prefix + "; it printed " + all);
            }
        }

        int exitCode() throws InterruptedException {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                throw new AssertionError("nostr-tools did not finish");
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static Run start(String relayUrl, String... args) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(relayUrl.replaceFirst("^http", "ws") + "/");
        all.addAll(List.of(args));
        return new Run(all);
    }
}
