package org.nostrp2p.rest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.store.SqliteEventStore;

/**
 * The REST API under a hostile HTTP client on loopback: each attack of issue 12 in a form
 * bounded to seconds, asserting what the owner's client sees. {@code -Dflood.scale=N} (the
 * {@code flood} Maven profile sets 10) multiplies the attackers' numbers.
 */
@Tag("flood")
class RestFloodTest {

    /** The owner's client must be answered this fast while an attack goes on. */
    static final Duration OWNER_ANSWER = Duration.ofSeconds(1);
    static final int SCALE = Integer.getInteger("flood.scale", 1);

    private final SecretKey owner = SecretKey.generate();
    private final SqliteEventStore store = SqliteEventStore.inMemory();
    private final StoreBackend backend = new StoreBackend(store, owner.publicKey().toHex());
    private RestServer server;
    private HostileHttpClient attacker;

    private FlutterClient start(RestLimits limits) {
        server = RestServer.builder().backend(backend).listen("127.0.0.1", 0).limits(limits).build();
        server.start();
        attacker = new HostileHttpClient(server.port());
        FlutterClient client = new FlutterClient(server.url());
        assertEquals(200, client.post("/req", "{\"kinds\":[0]}", true).statusCode(), "warm-up");
        return client;
    }

    @AfterEach
    void stop() {
        if (attacker != null) {
            attacker.close();
        }
        if (server != null) {
            server.stop();
        }
        store.close();
    }

    private Event post(String content) {
        return Events.sign(owner, 1_700_000_000L + content.hashCode() % 1000, 1, List.of(), content);
    }

    private void ownerIsAnsweredPromptly(FlutterClient client, String content) {
        assertTimeoutPreemptively(OWNER_ANSWER, () -> {
            assertEquals(200, client.post("/publish", EventJson.write(post(content)), false).statusCode());
            assertTrue(client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}").stream()
                    .anyMatch(e -> e.content().equals(content)));
        });
    }

    @Test
    void clientsStallingMidBodyDoNotDelayTheOwnersClient() {
        FlutterClient client = start(RestLimits.defaults());
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            stalled.add(attacker.stalledMidBody("127.0.0." + (2 + i % 2), i % 2 == 0 ? "/publish" : "/req"));
        }

        ownerIsAnsweredPromptly(client, "answered while 32 bodies stall");

        // The attack really held its connections (it was not simply refused).
        assertTrue(stalled.stream().noneMatch(HostileHttpClient::closedByServer));
    }

    @Test
    void aBodyThatStopsArrivingIsCutOffAtTheBodyDeadline() {
        start(RestLimits.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30)));

        Socket stalled = attacker.stalledMidBody("127.0.0.2", "/publish");

        await().atMost(Duration.ofSeconds(15)).until(() -> HostileHttpClient.closedByServer(stalled));
    }

    @Test
    void aRequestHeadThatStopsArrivingIsCutOffAtTheHeaderDeadline() {
        start(RestLimits.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30)));

        Socket stalled = attacker.stalledMidHeaders("127.0.0.2");

        await().atMost(Duration.ofSeconds(15)).until(() -> HostileHttpClient.closedByServer(stalled));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() {
        start(RestLimits.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(1)));

        Socket silent = attacker.silent("127.0.0.2");

        await().atMost(Duration.ofSeconds(15)).until(() -> HostileHttpClient.closedByServer(silent));
    }

    @Test
    void manyHalfOpenConnectionsNeitherExceedTheCapNorLockTheOwnerOut() {
        int cap = 64;
        FlutterClient client = start(RestLimits.defaults().withConnections(cap));
        List<Socket> halfOpen = new ArrayList<>();
        for (int i = 0; i < 512 * SCALE; i++) {
            halfOpen.add(attacker.silent("127.0.0." + (2 + i % 16)));
        }

        ownerIsAnsweredPromptly(client, "answered past 512 half-open connections");

        await().atMost(Duration.ofSeconds(10)).until(() -> halfOpen.stream().filter(s -> !HostileHttpClient.closedByServer(s)).count() <= cap);
    }

    @Test
    void oneAddressCannotTakeMoreThanItsShareOfConnections() {
        FlutterClient client = start(RestLimits.defaults().withConnections(64).withConnectionsPerAddress(24));
        List<Socket> fromOne = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fromOne.add(attacker.silent("127.0.0.2"));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> fromOne.stream().filter(s -> !HostileHttpClient.closedByServer(s)).count() <= 24);
        ownerIsAnsweredPromptly(client, "answered while one address holds its share");
    }

    @Test
    void nearTheFileDescriptorLimitNewConnectionsAreRefusedQuietly() {
        com.sun.management.UnixOperatingSystemMXBean os =
                (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long headroom = 200;
        int reserve = (int) (os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - headroom);
        FlutterClient client = start(RestLimits.defaults().withConnections(100_000).withConnectionsPerAddress(100_000)
                .withFileDescriptorReserve(reserve));
        long peak = 0;
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            sockets.add(attacker.silent("127.0.0.2"));
            peak = Math.max(peak, os.getOpenFileDescriptorCount());
        }

        // Each connection the server keeps costs this process two descriptors (both ends are here),
        // each it refuses one (the attacker's end): the server stopped well before 600 more.
        await().atMost(Duration.ofSeconds(10)).until(() -> sockets.stream().filter(s -> !HostileHttpClient.closedByServer(s)).count() < 300);
        assertTrue(os.getMaxFileDescriptorCount() - peak > reserve - 700, "peak " + peak);
        attacker.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> ownerIsAnsweredPromptly(client, "answered once the descriptors are back"));
    }

    @Test
    void aClientOverItsRequestRateIsAnswered429WithRetryAfterAndOthersAreNot() {
        FlutterClient client = start(RestLimits.defaults().withRequestsPerSecond(2, 10));
        List<String> heads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            try (Socket flooder = attacker.silent("127.0.0.2")) {
                heads.add(requestHead(flooder));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        assertTrue(heads.subList(0, 10).stream().allMatch(h -> HostileHttpClient.statusOf(h) == 200), heads.get(0));
        String limited = heads.get(heads.size() - 1);
        assertEquals(429, HostileHttpClient.statusOf(limited), limited);
        assertTrue(limited.contains("Retry-After: "), limited);
        assertTrue(limited.contains("Access-Control-Allow-Origin: *"), limited);
        ownerIsAnsweredPromptly(client, "answered while another address is limited");
    }

    private static String requestHead(Socket socket) {
        try {
            socket.getOutputStream().write(("POST /req HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\n\r\n{\"kinds\":[0]}")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return HostileHttpClient.readHead(socket);
    }

    @Test
    void sixtyFourClientsPollingLimit1000OverLargePostsGetBoundedAnswersAndTheHeapStaysBounded() throws Exception {
        // 1 MiB answers rather than 4: the same bound, a quarter of the bytes to move on a loaded machine.
        RestLimits limits = RestLimits.defaults().withAnswerBytes(RestLimits.DEFAULT_ANSWER_CACHE_BYTES, 1024 * 1024);
        FlutterClient client = start(limits.withRequestsPerSecond(1000, 1000).withConnectionsPerAddress(100));
        Random random = new Random(12);
        int posts = 200 * Math.min(SCALE, 5);
        for (int i = 0; i < posts; i++) {
            byte[] noise = new byte[45_000];
            random.nextBytes(noise);
            store.put(Events.sign(owner, 1_700_000_000L + i, 1, List.of(), Base64.getEncoder().encodeToString(noise)));
        }
        backend.writes.incrementAndGet();
        long idle = heapAfterGc();
        AtomicLong peakAfterGc = new AtomicLong();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest poll = HttpRequest.newBuilder(URI.create(server.url() + "/req"))
                .header("content-type", "application/json").header("Accept-Encoding", "gzip, deflate")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":1000}")).build();
        ExecutorService pollers = Executors.newFixedThreadPool(64);
        try {
            List<Future<long[]>> answers = new ArrayList<>();
            for (int i = 0; i < 64 * 2; i++) {
                answers.add(pollers.submit(() -> {
                    // The client streams each answer away, so the heap measured is the server's.
                    HttpResponse<InputStream> response = http.send(poll, HttpResponse.BodyHandlers.ofInputStream());
                    long length;
                    try (InputStream body = response.body()) {
                        length = body.transferTo(OutputStream.nullOutputStream());
                    }
                    peakAfterGc.accumulateAndGet(heapPools.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum(), Math::max);
                    return new long[] {response.statusCode(), length};
                }));
            }
            for (Future<long[]> answer : answers) {
                long[] statusAndLength = answer.get();
                assertEquals(200, statusAndLength[0]);
                assertTrue(statusAndLength[1] <= limits.maxAnswerBytes() + 1024, "answer of " + statusAndLength[1] + " bytes");
            }
        } finally {
            pollers.shutdownNow();
        }

        List<FlutterClient.ClientEvent> latest = client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":1000}");
        assertFalse(latest.isEmpty());
        assertEquals(1_700_000_000L + posts - 1, latest.get(latest.size() - 1).createdAt(), "the newest events are the ones sent");
        // Live heap stays within the budget: the cache (16 MiB) and two queries' events at a time.
        assertTrue(peakAfterGc.get() - idle < 200L * 1024 * 1024, "heap after GC grew by " + (peakAfterGc.get() - idle) / 1024 / 1024 + " MiB");
        assertTrue(heapAfterGc() - idle < 64L * 1024 * 1024, "heap after the polls grew by " + (heapAfterGc() - idle) / 1024 / 1024 + " MiB");
    }

    @Test
    void clientsAskingManyDifferentLargeQueriesDoNotDelayTheOwnersPublish() throws Exception {
        server = RestServer.builder().backend(slowQueries(300)).listen("127.0.0.1", 0)
                .limits(RestLimits.defaults().withRequestsPerSecond(1000, 1000).withConnectionsPerAddress(100)).build();
        server.start();
        FlutterClient client = new FlutterClient(server.url());
        AtomicLong answered = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean attacking = new java.util.concurrent.atomic.AtomicBoolean(true);
        // More clients than worker threads (16), each query holding one for 300 ms.
        ExecutorService attackers = Executors.newFixedThreadPool(24);
        try {
            for (int a = 0; a < 24; a++) {
                int attacker = a;
                attackers.submit(() -> {
                    for (int i = 0; attacking.get(); i++) {
                        // Every query different, so no answer is shared or cached.
                        client.post("/req", "{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":" + (1000 - attacker * 20 - i % 20) + "}", true);
                        answered.incrementAndGet();
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= 24);

            assertTimeoutPreemptively(OWNER_ANSWER, () ->
                    assertEquals(200, client.post("/publish", EventJson.write(post("published during a query flood")), false).statusCode()));
        } finally {
            attacking.set(false);
            attackers.shutdownNow();
        }
    }

    /** The test's store, answering queries after {@code millis} as a busy disk would. */
    private RestBackend slowQueries(long millis) {
        return new RestBackend() {
            @Override
            public PublishResult publish(Event event) {
                return backend.publish(event);
            }

            @Override
            public List<Event> query(ReqFilter filter) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return backend.query(filter);
            }
        };
    }

    @Test
    void sixtyFourClientsAskingTheSameThingAtOnceCostOneQuery() throws Exception {
        AtomicLong queries = new AtomicLong();
        RestBackend slowStore = new RestBackend() {
            @Override
            public PublishResult publish(Event event) {
                return backend.publish(event);
            }

            @Override
            public List<Event> query(ReqFilter filter) {
                queries.incrementAndGet();
                try {
                    Thread.sleep(2_000); // a store busy for 2 s: every poll arrives while the first is answered
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return backend.query(filter);
            }

            @Override
            public long generation() {
                return 1;
            }
        };
        server = RestServer.builder().backend(slowStore).listen("127.0.0.1", 0)
                .limits(RestLimits.defaults().withConnectionsPerAddress(100)).build();
        server.start();
        FlutterClient client = new FlutterClient(server.url());
        ExecutorService pollers = Executors.newFixedThreadPool(64);
        try {
            List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                answers.add(pollers.submit(() -> client.post("/req", "{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}", true)));
            }
            for (Future<HttpResponse<byte[]>> answer : answers) {
                assertEquals(200, answer.get().statusCode());
            }
        } finally {
            pollers.shutdownNow();
        }

        assertTrue(queries.get() <= 2, queries.get() + " queries");
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
