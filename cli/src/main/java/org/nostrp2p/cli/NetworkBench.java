package org.nostrp2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;

/**
 * The end-to-end benchmark behind {@code nostrp2p bench network}: starts N real server
 * processes ({@code serve}, this JVM's classpath, fresh keys, a temp directory, loopback
 * ports), all joined through server 0; waits until the overlay converges; publishes posts
 * through server 0's REST API and polls every other server's {@code /req} until each post is
 * there. Every process it started is stopped when {@link #run()} returns or throws, and by a
 * shutdown hook on Ctrl-C.
 *
 * <p>Convergence is read from each server's {@code GET /status} (NIP-98 signed by that
 * server's user): converged when every server has a route to every other. A build without
 * {@code /status} (404) falls back to the logs: every server has a connection, and no
 * connection was added or deleted anywhere for {@link #QUIET_MILLIS}.
 */
final class NetworkBench {

    /** How long the logs must show no connection change to call a build without /status converged. */
    static final long QUIET_MILLIS = 2_000;
    /** How often each server's /req is polled while a post it has not shown yet is out. */
    static final long POLL_MILLIS = 5;
    /** Pause between two posts, so each one's delivery is measured on its own. */
    static final long POST_GAP_MILLIS = 250;

    /** How many times in all a server is started on fresh ports when it cannot listen on those chosen. */
    static final int LISTEN_ATTEMPTS = 3;
    /** What a server that cannot listen says (the bind error's message). */
    static final String ADDRESS_IN_USE = "Address already in use";
    /** The lowest port chosen for a server. */
    static final int FIRST_PORT = 10_000;
    /** The kernel's range of ports for outgoing connections (Linux). */
    static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A post as published: when (System.nanoTime()) and its number in the run. */
    private record Published(long sentNanos, int number) {
    }

    /** What one run measured. */
    record Result(int servers, int posts, int delivered, long p50Millis, long p99Millis, long maxMillis,
                  long convergeMillis, String convergedBy, long[] rssKb) {
        boolean complete() {
            return delivered == posts * (servers - 1);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"servers\":%d,\"posts\":%d,\"delivered\":%d,\"expected\":%d,"
                            + "\"p50_ms\":%d,\"p99_ms\":%d,\"max_ms\":%d,\"converge_ms\":%d,\"converged_by\":\"%s\","
                            + "\"rss_kb\":%s,\"rss_max_kb\":%d}",
                    servers, posts, delivered, posts * (servers - 1), p50Millis, p99Millis, maxMillis, convergeMillis,
                    convergedBy, Arrays.toString(rssKb).replace(" ", ""), Arrays.stream(rssKb).max().orElse(0));
        }
    }

    /** A server process; {@code bootstrap} is the address it joins through (null for server 0). */
    private record Server(int index, SecretKey key, int port, String bootstrap, Path log, Process process) {
        String restUrl() {
            return "http://127.0.0.1:" + (port + 1);
        }
    }

    private final int serverCount;
    private final int postCount;
    private final Duration timeout;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Server> servers = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final java.util.Random random = new java.util.Random();
    // the first port of the kernel's ephemeral range (0: unknown), read once for every pair chosen
    private final int belowEphemeral = ephemeralLow();
    private final PortPairs portPairs;
    private Path directory;

    /** Where a server's pair of ports (overlay p, REST p + 1) comes from: {@link #freePortPair} but in tests. */
    @FunctionalInterface
    interface PortPairs {
        int next() throws IOException;
    }

    NetworkBench(int serverCount, int postCount, Duration timeout, PrintStream progress) {
        this(serverCount, postCount, timeout, progress, null);
    }

    /** @param portPairs the ports servers are started on, or null for {@link #freePortPair} */
    NetworkBench(int serverCount, int postCount, Duration timeout, PrintStream progress, PortPairs portPairs) {
        if (serverCount < 2) {
            throw new IllegalArgumentException("--servers must be at least 2");
        }
        if (postCount < 1) {
            throw new IllegalArgumentException("--posts must be at least 1");
        }
        this.serverCount = serverCount;
        this.postCount = postCount;
        this.timeout = timeout;
        this.progress = progress;
        this.portPairs = portPairs != null ? portPairs : this::freePortPair;
    }

    /**
     * Runs the whole benchmark.
     *
     * @throws IllegalStateException when a server does not start or the overlay does not converge in time
     */
    Result run() throws IOException, InterruptedException {
        Thread hook = new Thread(this::stopAll, "bench-network-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        directory = Files.createTempDirectory("nostrp2p-bench-network");
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            long start = System.nanoTime();
            startServers(deadline);
            String convergedBy = awaitConvergence(deadline);
            long convergeMillis = (System.nanoTime() - start) / 1_000_000;
            progress.printf("converged after %d ms (by %s)%n", convergeMillis, convergedBy);
            List<Long> delays = publishAndMeasure(deadline);
            long[] rss = servers.stream().mapToLong(s -> rssKb(s.process().pid())).toArray();
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(serverCount, postCount, sorted.length, percentile(sorted, 50), percentile(sorted, 99),
                    sorted.length == 0 ? -1 : sorted[sorted.length - 1], convergeMillis, convergedBy, rss);
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs stopAll, which is idempotent
            }
            deleteTree(directory);
        }
    }

    /** @return the pids of the server processes started so far (for tests: all must be gone after run) */
    List<Long> pids() {
        synchronized (servers) {
            return servers.stream().map(s -> s.process().pid()).toList();
        }
    }

    private void startServers(long deadline) throws IOException, InterruptedException {
        String bootstrap = null;
        for (int i = 0; i < serverCount; i++) {
            launch(i, SecretKey.generate(), bootstrap);
            if (bootstrap == null) {
                bootstrap = "127.0.0.1:" + awaitStarted(0, deadline).port();
            }
        }
        for (int i = 1; i < serverCount; i++) {
            awaitStarted(i, deadline);
        }
        progress.printf("%d servers started%n", serverCount);
    }

    // Starts server `index` on a fresh pair of ports (overlay, REST), its log started afresh.
    private void launch(int index, SecretKey key, String bootstrap) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        int port = portPairs.next();
        Path data = Files.createDirectories(directory.resolve("server-" + index));
        Path log = data.resolve("serve.log");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xss512k", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "-p", key.publicKey().toHex(), "-l", "127.0.0.1:" + port,
                "--data-dir", data.resolve("db").toString()));
        if (bootstrap != null) {
            command.addAll(List.of("-b", bootstrap));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        synchronized (servers) {
            if (stopped.get()) {
                process.destroyForcibly();
                throw new IllegalStateException("stopped");
            }
            Server server = new Server(index, key, port, bootstrap, log, process);
            if (index < servers.size()) {
                servers.set(index, server);
            } else {
                servers.add(server);
            }
        }
    }

    // Waits until server `index` serves. Its ports were free when chosen, but another socket may
    // take one before the process binds it: a server that could not listen is started again on
    // other ports, up to LISTEN_ATTEMPTS times in all.
    private Server awaitStarted(int index, long deadline) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Server server = servers.get(index);
            try {
                awaitStarted(server, deadline);
                return server;
            } catch (IllegalStateException e) {
                if (attempt == LISTEN_ATTEMPTS || !log(server).contains(ADDRESS_IN_USE)) {
                    throw e;
                }
                progress.printf("server %d could not listen on port %d or %d; starting it on others%n", index,
                        server.port(), server.port() + 1);
                launch(index, server.key(), server.bootstrap());
            }
        }
    }

    private void awaitStarted(Server server, long deadline) throws IOException, InterruptedException {
        while (!log(server).contains("REST API:")) {
            if (!server.process().isAlive()) {
                throw new IllegalStateException("server " + server.index() + " exited with " + server.process().exitValue()
                        + ":\n" + tail(log(server)));
            }
            checkDeadline(deadline, "server " + server.index() + " to start");
            Thread.sleep(50);
        }
    }

    private String awaitConvergence(long deadline) throws IOException, InterruptedException {
        boolean statusServed = true;
        long lastChange = System.nanoTime();
        long lastChanges = -1;
        long lastReport = 0;
        while (true) {
            checkDeadline(deadline, "the overlay to converge");
            for (Server server : servers) {
                if (!server.process().isAlive()) {
                    throw new IllegalStateException("server " + server.index() + " died:\n" + tail(log(server)));
                }
            }
            if (statusServed) {
                int converged = 0;
                int minRoutes = Integer.MAX_VALUE;
                for (Server server : servers) {
                    JsonNode status = status(server);
                    if (status == null) {
                        statusServed = false;
                        progress.println("this build serves no GET /status: convergence read from the logs");
                        break;
                    }
                    int routes = status.path("routes").size();
                    minRoutes = Math.min(minRoutes, routes);
                    if (routes >= serverCount - 1) {
                        converged++;
                    }
                }
                if (statusServed) {
                    if (converged == serverCount) {
                        return "status";
                    }
                    if (System.nanoTime() - lastReport > 1_000_000_000L) {
                        lastReport = System.nanoTime();
                        progress.printf("converging: %d/%d servers route to all, fewest routes %d%n", converged, serverCount, minRoutes);
                    }
                    Thread.sleep(100);
                    continue;
                }
            }
            long changes = 0;
            boolean everyoneLinked = true;
            for (Server server : servers) {
                String text = log(server);
                long added = count(text, "connection added");
                changes += added + count(text, "connection deleted");
                everyoneLinked &= added > 0;
            }
            if (changes != lastChanges) {
                lastChanges = changes;
                lastChange = System.nanoTime();
            } else if (everyoneLinked && System.nanoTime() - lastChange >= QUIET_MILLIS * 1_000_000) {
                return "logs";
            }
            Thread.sleep(50);
        }
    }

    private JsonNode status(Server server) throws InterruptedException {
        String url = server.restUrl() + "/status";
        Event auth = Events.sign(server.key(), Instant.now().getEpochSecond(), 27235,
                List.of(List.of("u", url), List.of("method", "GET")), "");
        String header = "Nostr " + Base64.getEncoder().encodeToString(EventJson.write(auth).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", header).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404 || response.statusCode() == 405) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /status of server " + server.index() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach server " + server.index() + " at " + url, e);
        }
    }

    private List<Long> publishAndMeasure(long deadline) throws InterruptedException {
        Server publisher = servers.get(0);
        RestClient publishClient = new RestClient(publisher.restUrl());
        String filter = "{\"authors\":[\"" + publisher.key().publicKey().toHex() + "\"],\"limit\":1000}";
        // event id -> when it was published (System.nanoTime()) and its number, to name the slowest deliveries
        ConcurrentHashMap<String, Published> published = new ConcurrentHashMap<>();
        // (server index, event id) -> first time seen; the pollers compare with published.
        ConcurrentHashMap<String, Long> delays = new ConcurrentHashMap<>();
        // posts each server has been seen to have: a server that has them all is not asked again
        // until the next post, so the pollers load the machine only while a post travels
        java.util.concurrent.atomic.AtomicIntegerArray seen = new java.util.concurrent.atomic.AtomicIntegerArray(servers.size());
        AtomicBoolean polling = new AtomicBoolean(true);
        List<Thread> pollers = new ArrayList<>();
        for (Server server : servers.subList(1, servers.size())) {
            RestClient client = new RestClient(server.restUrl());
            Thread poller = new Thread(() -> {
                while (polling.get()) {
                    try {
                        if (seen.get(server.index()) < published.size()) {
                            for (Event event : client.req(filter)) {
                                Published post = published.get(event.idHex());
                                if (post != null && delays.putIfAbsent(server.index() + "/" + event.idHex(),
                                        System.nanoTime() - post.sentNanos()) == null) {
                                    seen.incrementAndGet(server.index());
                                }
                            }
                        }
                        Thread.sleep(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        if (!polling.get() || Thread.currentThread().isInterrupted()) {
                            return; // the run is over: a request cut short by the stop is no failure
                        }
                        progress.println("poll of server " + server.index() + " failed: " + e.getMessage());
                    }
                }
            }, "bench-poll-" + server.index());
            poller.setDaemon(true);
            poller.start();
            pollers.add(poller);
        }
        try {
            int expected = postCount * (serverCount - 1);
            for (int p = 0; p < postCount; p++) {
                Event post = Events.sign(publisher.key(), Instant.now().getEpochSecond(), 1, List.of(),
                        "bench network post " + p + " at " + Instant.now());
                long sent = System.nanoTime();
                published.put(post.idHex(), new Published(sent, p + 1));
                RestClient.PublishAnswer answer = publishClient.publish(post);
                if (!answer.stored()) {
                    throw new IllegalStateException("server 0 refused post " + p + " (" + answer.status() + "): " + answer.reason());
                }
                Thread.sleep(POST_GAP_MILLIS);
                progress.printf("post %d/%d published; deliveries so far %d/%d%n", p + 1, postCount, delays.size(), expected);
            }
            long waitUntil = Math.min(deadline, System.nanoTime() + 30_000_000_000L);
            while (delays.size() < expected && System.nanoTime() < waitUntil) {
                Thread.sleep(20);
            }
            progress.printf("delivered %d/%d%n", delays.size(), expected);
            // where the tail is: which server, which post (the first posts meet JVMs still compiling)
            progress.println("slowest deliveries: " + delays.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .map(e -> {
                        String[] serverAndId = e.getKey().split("/", 2);
                        return "server " + serverAndId[0] + " post " + published.get(serverAndId[1]).number() + " "
                                + e.getValue() / 1_000_000 + " ms";
                    })
                    .collect(Collectors.joining(", ")));
        } finally {
            polling.set(false);
            for (Thread poller : pollers) {
                poller.interrupt();
                poller.join(5_000);
            }
        }
        return delays.values().stream().map(nanos -> nanos / 1_000_000).sorted().collect(Collectors.toList());
    }

    /** Stops every process started (SIGTERM, then SIGKILL after 10 s); safe to call twice. */
    void stopAll() {
        List<Server> toStop;
        synchronized (servers) {
            stopped.set(true);
            toStop = List.copyOf(servers);
        }
        for (Server server : toStop) {
            server.process().destroy();
        }
        for (Server server : toStop) {
            try {
                if (!server.process().waitFor(10, TimeUnit.SECONDS)) {
                    server.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                server.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkDeadline(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
    }

    /** @return VmRSS in KiB from /proc/PID/status, or -1 where there is no such file */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String log(Server server) throws IOException {
        return Files.exists(server.log()) ? Files.readString(server.log(), StandardCharsets.UTF_8) : "";
    }

    private static long count(String text, String needle) {
        long n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    private static String tail(String text) {
        return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
    }

    /**
     * @return a port p with p + 1 free too (the REST API's), overlapping no pair handed out
     *     before. The server binds them a second later, in its own process, and an ephemeral
     *     port may meanwhile become the local end of an outgoing connection (the other servers'
     *     dials, this process's HTTP client): the ports are chosen below the kernel's ephemeral
     *     range, where no port is taken that way (anywhere free when the range cannot be read).
     */
    int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = belowEphemeral > FIRST_PORT + 2
                    ? FIRST_PORT + random.nextInt(belowEphemeral - FIRST_PORT - 1) : anyFreePort();
            boolean overlaps;
            synchronized (servers) {
                overlaps = servers.stream().anyMatch(s -> Math.abs(s.port() - port) <= 1);
            }
            if (port < 65535 && !overlaps && bindable(port) && bindable(port + 1)) {
                return port;
            }
        }
        throw new IOException("no free pair of loopback ports");
    }

    /** @return the first port of the kernel's ephemeral range, or 0 when it cannot be read */
    static int ephemeralLow() {
        try {
            // (Files.readString returns one byte of a /proc file on JDK 17: it trusts the size of 0.)
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static int anyFreePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leave the temp directory behind
        }
    }
}
