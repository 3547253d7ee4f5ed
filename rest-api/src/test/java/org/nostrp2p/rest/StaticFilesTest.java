package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.store.SqliteEventStore;

/** The web client's files, served from the jar by the REST server, over real HTTP. */
class StaticFilesTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private SqliteEventStore store;
    private RestServer server;

    @BeforeEach
    void start() {
        store = SqliteEventStore.inMemory();
        server = RestServer.builder().backend(new StoreBackend(store, SecretKey.generate().publicKey().toHex()))
                .listen("127.0.0.1", 0).build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        store.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theRootServesTheWebClientWithRevalidationAndASameOriginPolicy() throws Exception {
        HttpResponse<byte[]> page = get("/");

        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("js/app.js"));
        assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(page.headers().firstValue("ETag").orElseThrow().matches("\"[0-9a-f]{24}\""));
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"), csp);
    }

    @Test
    void aRevalidationWithTheCurrentEtagIsAnswered304WithoutABody() throws Exception {
        String etag = get("/js/app.js").headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = get("/js/app.js", "If-None-Match", etag);

        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
    }

    @Test
    void scriptsAreGzippedWhenTheBrowserAcceptsItAndPlainOtherwise() throws Exception {
        HttpResponse<byte[]> plain = get("/vendor/nostr-vendor.js");
        HttpResponse<byte[]> zipped = get("/vendor/nostr-vendor.js", "Accept-Encoding", "gzip, deflate, br",
                "Origin", "http://192.168.1.9:20001");

        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
        assertTrue(zipped.body().length < plain.body().length / 2);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        assertTrue(!zipped.headers().firstValue("ETag").equals(plain.headers().firstValue("ETag")));
        assertEquals("text/javascript; charset=utf-8", zipped.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(List.of("Origin", "Accept-Encoding"), zipped.headers().allValues("Vary"));
    }

    @Test
    void aHeadRequestGetsTheHeadersOfAGetWithoutTheBody() throws Exception {
        HttpResponse<byte[]> full = get("/style.css");
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/style.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf(full.body().length), head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(full.headers().firstValue("ETag"), head.headers().firstValue("ETag"));
    }

    @Test
    void pathsOutsideTheWebFolderOrOfUnknownTypesAre404() throws Exception {
        assertEquals(404, rawStatus("/../RestServer.class"));
        assertEquals(404, rawStatus("/%2e%2e/RestServer.class"));
        assertEquals(404, rawStatus("/..%2fRestServer.class"));
        assertEquals(404, get("/js").statusCode());
        assertEquals(404, get("/nothing-here.html").statusCode());
    }

    @Test
    void theApiPathsKeepTheirAnswers() throws Exception {
        assertEquals(405, get("/req").statusCode());
        assertEquals(405, get("/publish").statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, post.statusCode());
    }

    /** Sends the path as written (Java's HTTP client would normalise "..") and returns the status. */
    private int rawStatus(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }
}
