package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.store.SqliteEventStore;

/** The REST API over real HTTP on loopback, as the Flutter client and browsers use it. */
class RestServerTest {

    private final SecretKey user = SecretKey.generate();
    private final HttpClient http = HttpClient.newHttpClient();
    private SqliteEventStore store;
    private StoreBackend backend;
    private RestServer server;
    private FlutterClient client;

    @BeforeEach
    void start() {
        store = SqliteEventStore.inMemory();
        backend = new StoreBackend(store, user.publicKey().toHex());
        server = RestServer.builder().backend(backend).listen("127.0.0.1", 0).build();
        server.start();
        client = new FlutterClient(server.url());
    }

    @AfterEach
    void stop() {
        server.stop();
        store.close();
    }

    private Event post(long createdAt, String content) {
        return Events.sign(user, createdAt, 1, List.of(), content);
    }

    @Test
    void aSignedPostIsStoredAndAnsweredWithTheGoServersSuccessBody() {
        Event event = post(1_700_000_000L, "hello, NostrP2P");

        HttpResponse<byte[]> response = client.post("/publish", EventJson.write(event), false);

        assertEquals(200, response.statusCode());
        assertEquals("{\"Status\":\"SUCCESS\"}", body(response));
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("true", response.headers().firstValue("Access-Control-Allow-Private-Network").orElseThrow());
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(store.get(event.id()).isPresent());
    }

    @Test
    void aForgedSignatureIsRefusedWithAJsonReasonAndCorsHeaders() {
        Event event = post(1_700_000_000L, "hello");
        byte[] sig = event.sig();
        sig[5] ^= 1;
        Event forged = new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(), sig);

        HttpResponse<byte[]> response = client.post("/publish", EventJson.write(forged), false);

        assertEquals(400, response.statusCode());
        assertEquals("{\"Status\":\"ERROR\",\"Error\":\"invalid signature\"}", body(response));
        assertEquals("true", response.headers().firstValue("Access-Control-Allow-Private-Network").orElseThrow());
        assertEquals(0, store.count());
    }

    @Test
    void anEventWhoseIdIsNotItsHashIsRefused() {
        Event event = post(1_700_000_000L, "hello");
        Event tampered = new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), "hello!", event.sig());

        HttpResponse<byte[]> response = client.post("/publish", EventJson.write(tampered), false);

        assertEquals(400, response.statusCode());
        assertTrue(body(response).contains("id is not the hash"), body(response));
    }

    @Test
    void malformedJsonAndMissingFieldsAreRefusedOneByOneAndTheServerKeepsServing() {
        for (String bad : List.of("", "{", "[]", "null", "{\"kind\":1}", "{\"id\":\"zz\",\"pubkey\":1}", "\u0000\u0001")) {
            HttpResponse<byte[]> response = client.post("/publish", bad, false);
            assertEquals(400, response.statusCode(), bad);
            assertTrue(body(response).startsWith("{\"Status\":\"ERROR\",\"Error\":"), body(response));
        }
        assertEquals(200, client.post("/publish", EventJson.write(post(1_700_000_000L, "still here")), false).statusCode());
    }

    @Test
    void theBackendsRefusalReachesTheClientWithItsStatusAndReason() {
        SecretKey stranger = SecretKey.generate();
        Event event = Events.sign(stranger, 1_700_000_000L, 1, List.of(), "not yours");

        HttpResponse<byte[]> response = client.post("/publish", EventJson.write(event), false);

        assertEquals(403, response.statusCode());
        assertTrue(body(response).contains("only the server's own user may publish here"));
    }

    @Test
    void aBodyOver64KiBIsRefusedWith413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String huge = "{\"content\":\"" + "x".repeat(RestServer.MAX_BODY_BYTES) + "\"}";

        HttpResponse<byte[]> declared = client.post("/publish", huge, false);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/req"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(413, declared.statusCode());
        assertTrue(body(declared).contains("larger than 65536 bytes"));
        assertEquals(413, chunked.statusCode());
        assertEquals("true", chunked.headers().firstValue("Access-Control-Allow-Private-Network").orElseThrow());
        assertEquals(200, client.post("/publish", EventJson.write(post(1_700_000_000L, "after")), false).statusCode());
    }

    @Test
    void aReadOnlyServerRefusesEveryPublishWith406ButServesReads() {
        RestServer readOnly = RestServer.builder().backend(new StoreBackend(store, user.publicKey().toHex()))
                .listen("127.0.0.1", 0).writable(false).build();
        readOnly.start();
        try {
            FlutterClient c = new FlutterClient(readOnly.url());
            HttpResponse<byte[]> response = c.post("/publish", EventJson.write(post(1_700_000_000L, "no")), false);
            assertEquals(406, response.statusCode());
            assertTrue(body(response).contains("refuses writes"));
            assertEquals(List.of(), c.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}"));
        } finally {
            readOnly.stop();
        }
    }

    @Test
    void aPreflightAdmitsAnyOriginIncludingPrivateNetworkAccess() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/req"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://flustr.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Private-Network", "true")
                .header("Access-Control-Request-Headers", "content-type,access-control-request-method,access-control-request-private-network")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        var headers = response.headers();
        assertEquals("https://flustr.example", headers.firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("true", headers.firstValue("Access-Control-Allow-Private-Network").orElseThrow());
        assertTrue(headers.firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
        assertEquals("content-type,access-control-request-method,access-control-request-private-network",
                headers.firstValue("Access-Control-Allow-Headers").orElseThrow());
    }

    @Test
    void reqAnswersMessagePackWithoutSignaturesGzippedOnlyWhenTheClientAcceptsIt() throws Exception {
        Event event = post(1_700_000_000L, "zip me");
        store.put(event);
        String filter = "{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}";

        HttpResponse<byte[]> plain = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/req"))
                .POST(HttpRequest.BodyPublishers.ofString(filter)).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> zipped = client.post("/req", filter, true);

        assertEquals("application/octet-stream", plain.headers().firstValue("Content-Type").orElseThrow());
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
        byte[] unzipped = FlutterClient.gunzip(zipped.body());
        assertEquals(List.of(event.withoutSig()), Np2pCodec.decodeEventsResp(plain.body()));
        assertEquals(List.of(event.withoutSig()), Np2pCodec.decodeEventsResp(unzipped));
        assertTrue(new String(unzipped, StandardCharsets.ISO_8859_1).contains("Sig"));
    }

    @Test
    void theFlutterClientsPollPatternSeesEveryEventOnceOldestFirst() {
        // First poll until non-empty: the latest 300, since/until -1 ignored.
        assertEquals(List.of(), client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}"));
        List<Event> first = IntStream.range(0, 5).mapToObj(i -> post(1_700_000_000L + i, "post " + i)).toList();
        first.forEach(e -> assertEquals(200, client.post("/publish", EventJson.write(e), false).statusCode()));
        List<FlutterClient.ClientEvent> firstAnswer = client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}");
        assertEquals(List.of("post 0", "post 1", "post 2", "post 3", "post 4"), firstAnswer.stream().map(FlutterClient.ClientEvent::content).toList());
        FlutterClient.ClientEvent decoded = firstAnswer.get(0);
        assertEquals(first.get(0).idHex(), decoded.id());
        assertEquals(user.publicKey().toHex(), decoded.pubkey());
        assertEquals(1_700_000_000L, decoded.createdAt());
        assertEquals(1, decoded.kind());
        assertEquals(List.of(), decoded.tags());

        // Then every 10 s: the range since the last poll, until now, limit -1.
        long lastPoll = 1_700_000_005L;
        Event reply = Events.sign(user, 1_700_000_007L, 1, List.of(List.of("e", first.get(0).idHex(), "", "root"),
                List.of("p", user.publicKey().toHex())), "a reply");
        client.post("/publish", EventJson.write(reply), false);
        List<FlutterClient.ClientEvent> next = client.req("{\"kinds\":[40000],\"since\":" + lastPoll + ",\"until\":1700000010,\"limit\":-1}");
        assertEquals(1, next.size());
        assertEquals(List.of(List.of("e", first.get(0).idHex(), "", "root"), List.of("p", user.publicKey().toHex())), next.get(0).tags());
    }

    @Test
    void repeatedTimelinePollsAreAnsweredFromACacheThatAWriteInvalidates() {
        String poll = "{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}";
        client.post("/publish", EventJson.write(post(1_700_000_000L, "one")), false);

        for (int i = 0; i < 20; i++) {
            assertEquals(1, client.req(poll).size());
        }
        long queriesBefore = backend.queries.get();
        client.post("/publish", EventJson.write(post(1_700_000_001L, "two")), false);

        assertTrue(queriesBefore <= 2, "polls were not cached: " + queriesBefore + " queries");
        assertEquals(List.of("one", "two"), client.req(poll).stream().map(FlutterClient.ClientEvent::content).toList());
    }

    @Test
    void unknownPathsAndMethodsAreAnsweredWithJsonErrors() throws Exception {
        HttpResponse<String> notFound = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/nope"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/req")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(404, notFound.statusCode());
        assertTrue(notFound.body().contains("no such endpoint"));
        assertEquals(405, get.statusCode());
        assertEquals("true", get.headers().firstValue("Access-Control-Allow-Private-Network").orElseThrow());
    }

    @Test
    void aMalformedFilterIsRefusedWithTheReason() {
        for (Map.Entry<String, String> bad : Map.of(
                "{\"kinds\":\"1\"}", "kinds must be a list",
                "{\"authors\":[\"abc\"]}", "authors must be a list of 64 hex characters",
                "{\"since\":\"yesterday\"}", "since must be an integer",
                "[1]", "must be a JSON object",
                "{", "not valid JSON").entrySet()) {
            HttpResponse<byte[]> response = client.post("/req", bad.getKey(), true);
            assertEquals(400, response.statusCode(), bad.getKey());
            assertTrue(body(response).contains(bad.getValue()), body(response));
        }
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

}
