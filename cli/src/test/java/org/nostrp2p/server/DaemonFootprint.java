package org.nostrp2p.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.store.SqliteEventStore;

/**
 * Measures a server process started as {@code ./nostrp2p} starts it (the daemon JVM options):
 * RSS with 100,000 events under REST load, during REST attacks, and each 10 s for a minute
 * after them. Run by hand (minutes); figures go to docs/benchmarks.md:
 *
 * <pre>
 * mvn -B -o -q -Dmaven.test.skip=true -pl cli -am package &amp;&amp; mvn -B -o -q -pl cli -am test-compile -Dtest=none
 * java -cp cli/target/nostrp2p.jar:cli/target/test-classes org.nostrp2p.server.DaemonFootprint cli/target/nostrp2p.jar /tmp/footprint 100000 30
 * </pre>
 */
public final class DaemonFootprint {

    /** The launcher's options (DaemonJvm.OPTIONS, package-private in org.nostrp2p.cli). */
    private static final List<String> DAEMON_OPTIONS = List.of(
            "-Xms16m", "-Xmx192m", "-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=15000", "-XX:G1PeriodicGCSystemLoadThreshold=0",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxDirectMemorySize=96m", "-XX:ReservedCodeCacheSize=64m",
            "-XX:MaxMetaspaceSize=128m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError",
            "-Djdk.nio.maxCachedBufferSize=262144", "-Dnostrp2p.store.writerCacheKiB=8192", "-Dnostrp2p.store.readerCacheKiB=2048",
            "-Dnostrp2p.store.mmapBytes=0");

    private static final String LATEST_50 = "{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":50}";
    private static final String LIMIT_1000 = "{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":1000}";

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int events = Integer.parseInt(args[2]);
        int loadSeconds = Integer.parseInt(args[3]);
        Files.createDirectories(work);
        // A second run in the same directory reuses the events (filling 100,000 takes a minute).
        Path ownerFile = work.resolve("owner.nsec");
        Path data = work.resolve("data");
        SecretKey owner;
        if (Files.exists(ownerFile)) {
            owner = SecretKey.parse(Files.readString(ownerFile).trim());
        } else {
            owner = SecretKey.generate();
            fill(data, owner, events);
            Files.writeString(ownerFile, owner.toNsec());
        }

        int port = 24000 + new Random().nextInt(1000) * 2;
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(DAEMON_OPTIONS);
        // Extra options to try (-Dfootprint.jvm="-XX:NativeMemoryTracking=summary ...").
        for (String option : System.getProperty("footprint.jvm", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        // A load test from one address: lift the per-address rate (the defaults would answer 429).
        command.addAll(List.of("-Dnostrp2p.rest.requestsPerSecond=1000000", "-Dnostrp2p.rest.requestBurst=1000000",
                "-Dnostrp2p.rest.connectionsPerAddress=128", "-jar", jar.toString(), "serve", "-p", owner.publicKey().toHex(),
                "-l", "127.0.0.1:" + port, "--data-dir", data.toString()));
        Path log = work.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // As the launcher sets it (fewer glibc malloc arenas: native memory returns).
        builder.environment().put("MALLOC_ARENA_MAX", System.getProperty("footprint.mallocArenas", "2"));
        Process server = builder.start();
        try {
            String rest = "http://127.0.0.1:" + (port + 1);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilAnswering(http, rest);
            report("idle after start, " + events + " events", server, log);

            long requests = load(http, rest, loadSeconds, 32);
            report("after " + loadSeconds + " s of REST load (32 clients, " + requests / loadSeconds + " req/s)", server, log);

            for (int i = 0; i < 300; i++) {
                byte[] noise = new byte[45_000];
                new Random(i).nextBytes(noise);
                Event big = Events.sign(owner, 1_800_000_000L + i, 1, List.of(), Base64.getEncoder().encodeToString(noise));
                post(http, rest + "/publish", EventJson.write(big));
            }
            report("after publishing 300 posts of 60 KB", server, log);

            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                held.add(stalledMidBody(port + 1, "127.0.0." + (2 + i % 2)));
            }
            for (int i = 0; i < 2000; i++) {
                try {
                    held.add(silent(port + 1, "127.0.1." + (1 + i % 200)));
                } catch (IOException refusedOrReset) {
                    // The gate may close it at once; that is the point.
                }
            }
            long ownerMillis = ownerAnswerMillis(http, rest);
            java.util.concurrent.CompletableFuture<Long> polling = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return poll(http, rest, LIMIT_1000, 20, 64);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(5_000);
            long ownerDuringPollsMillis = ownerAnswerMillis(http, rest);
            long polls = polling.join();
            report("during: 32 stalled bodies, 2,000 half-open, then 20 s of 64-way limit-1000 polls over large posts ("
                    + polls + " answers; owner answered in " + ownerMillis + " ms, during the polls in " + ownerDuringPollsMillis + " ms)",
                    server, log);
            for (Socket socket : held) {
                socket.close();
            }
            for (int second = 10; second <= 60; second += 10) {
                Thread.sleep(10_000);
                report(second + " s after the attack", server, log);
            }
            if (System.getProperty("footprint.jvm", "").contains("NativeMemoryTracking")) {
                new ProcessBuilder("jcmd", Long.toString(server.pid()), "VM.native_memory", "summary").inheritIO().start().waitFor();
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static void fill(Path data, SecretKey owner, int count) {
        List<SecretKey> authors = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            authors.add(i == 0 ? owner : SecretKey.generate());
        }
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (SqliteEventStore store = SqliteEventStore.open(data.resolve(NostrP2PServer.DATABASE_FILE))) {
            long start = 1_700_000_000L;
            for (int done = 0; done < count; ) {
                List<Event> batch = new ArrayList<>();
                for (int i = 0; i < 1000 && done < count; i++, done++) {
                    batch.add(Events.sign(authors.get(done % authors.size()), start + done, 1, List.of(),
                            "post " + done + " of a synthetic timeline, about as long as a short note"));
                }
                store.putAll(batch);
            }
        }
    }

    private static void waitUntilAnswering(HttpClient http, String rest) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try {
                if (post(http, rest + "/req", LATEST_50) == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not answer in 60 s");
    }

    private static long load(HttpClient http, String rest, int seconds, int clients) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            pool.submit(() -> {
                Random random = new Random(client);
                while (running.get()) {
                    long since = 1_700_000_000L + random.nextInt(99_900);
                    String body = client % 4 == 0
                            ? "{\"kinds\":[40000],\"since\":" + since + ",\"until\":" + (since + 49) + ",\"limit\":-1}"
                            : LATEST_50;
                    post(http, rest + "/req", body);
                    done.incrementAndGet();
                }
                return null;
            });
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        return done.get();
    }

    private static long poll(HttpClient http, String rest, String filter, int seconds, int clients) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (running.get()) {
                    post(http, rest + "/req", filter);
                    done.incrementAndGet();
                }
                return null;
            });
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
        return done.get();
    }

    private static long ownerAnswerMillis(HttpClient http, String rest) {
        long start = System.nanoTime();
        post(http, rest + "/req", LATEST_50);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static int post(HttpClient http, String url, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("Accept-Encoding", "gzip, deflate")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            return response.statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Socket silent(int port, String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    private static Socket stalledMidBody(int port, String source) throws IOException {
        Socket socket = silent(port, source);
        socket.getOutputStream().write(("POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"kinds\":[").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static void report(String when, Process server, Path log) throws IOException {
        String status = Files.readString(Path.of("/proc/" + server.pid() + "/status"));
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.printf("| %s | %s | %s | %s | %d | %s |%n", when, field(status, "VmRSS"), field(status, "RssAnon"),
                field(status, "RssFile"), Files.size(log), load.substring(0, load.indexOf(' ', load.indexOf(' ', load.indexOf(' ') + 1) + 1)));
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "?";
    }
}
