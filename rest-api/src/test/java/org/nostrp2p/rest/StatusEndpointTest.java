package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;

/** {@code GET /status} over real HTTP: the owner's NIP-98 header opens it, nothing else does. */
class StatusEndpointTest {

    private final SecretKey owner = SecretKey.generate();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ServerStatus status = new ServerStatus("aa:bb:cc:dd:ee:01", "np2p-aabb", "18446744073709551615",
            List.of(new ServerStatus.Peer("aa:bb:cc:dd:ee:01", "np2p-aabb",
                            List.of(new ServerStatus.Link("aa:bb:cc:dd:ee:02", "127.0.0.1:20010", true, true))),
                    new ServerStatus.Peer("aa:bb:cc:dd:ee:02", "", List.of())),
            List.of(new ServerStatus.Link("aa:bb:cc:dd:ee:02", "127.0.0.1:20010", true, true)),
            Map.of("aa:bb:cc:dd:ee:02", "aa:bb:cc:dd:ee:02"));
    private RestServer server;

    @BeforeEach
    void start() {
        RestBackend backend = new RestBackend() {
            @Override
            public PublishResult publish(Event event) {
                return PublishResult.refused(403, "read only");
            }

            @Override
            public List<Event> query(ReqFilter filter) {
                return List.of();
            }

            @Override
            public String ownerPublicKeyHex() {
                return owner.publicKey().toHex();
            }

            @Override
            public ServerStatus status() {
                return status;
            }
        };
        server = RestServer.builder().backend(backend).listen("127.0.0.1", 0).build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private String header(SecretKey key, long createdAt, String url, String method) {
        Event event = Events.sign(key, createdAt, 27235, List.of(List.of("u", url), List.of("method", method)), "");
        return "Nostr " + Base64.getEncoder().encodeToString(EventJson.write(event).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/status")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void theOwnerReadsPeersConnectionsAndRoutesAsJson() throws Exception {
        HttpResponse<String> response = get(header(owner, now(), server.url() + "/status", "GET"));

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertEquals("aa:bb:cc:dd:ee:01", json.get("name").asText());
        assertEquals("np2p-aabb", json.get("nickName").asText());
        assertEquals("18446744073709551615", json.get("uid").asText());
        assertEquals(2, json.get("peers").size());
        JsonNode link = json.get("peers").get(0).get("connections").get(0);
        assertEquals("aa:bb:cc:dd:ee:02", link.get("name").asText());
        assertEquals("127.0.0.1:20010", link.get("address").asText());
        assertTrue(link.get("outbound").asBoolean());
        assertTrue(link.get("established").asBoolean());
        assertEquals("127.0.0.1:20010", json.get("connections").get(0).get("address").asText());
        assertEquals("aa:bb:cc:dd:ee:02", json.get("routes").get("aa:bb:cc:dd:ee:02").asText());
    }

    @Test
    void withoutAnAuthorizationHeaderTheAnswerIs401() throws Exception {
        HttpResponse<String> response = get(null);

        assertEquals(401, response.statusCode());
        assertEquals("Nostr", response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertTrue(response.body().contains("NIP-98"), response.body());
    }

    @Test
    void aHeaderSignedByAnotherKeyIs403() throws Exception {
        HttpResponse<String> response = get(header(SecretKey.generate(), now(), server.url() + "/status", "GET"));

        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("only this server's own user"), response.body());
    }

    @Test
    void aHeaderOlderThanAMinuteIs403() throws Exception {
        HttpResponse<String> response = get(header(owner, now() - 120, server.url() + "/status", "GET"));

        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("at most 60 s"), response.body());
    }

    @Test
    void aHeaderSignedForAnotherUrlOrMethodIs401() throws Exception {
        HttpResponse<String> otherPath = get(header(owner, now(), server.url() + "/req", "GET"));
        HttpResponse<String> otherHost = get(header(owner, now(), "http://example.org:1/status", "GET"));
        HttpResponse<String> otherMethod = get(header(owner, now(), server.url() + "/status", "POST"));

        assertEquals(401, otherPath.statusCode());
        assertEquals(401, otherHost.statusCode());
        assertEquals(401, otherMethod.statusCode());
    }

    @Test
    void aHeaderWithATamperedSignatureIs401() throws Exception {
        String good = header(owner, now(), server.url() + "/status", "GET");
        String json = new String(Base64.getDecoder().decode(good.substring(6)), StandardCharsets.UTF_8);
        int sig = json.indexOf("\"sig\":\"") + 7;
        String forged = json.substring(0, sig) + (json.charAt(sig) == '0' ? '1' : '0') + json.substring(sig + 1);

        HttpResponse<String> response = get("Nostr " + Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> garbage = get("Nostr !!!not base64!!!");

        assertEquals(401, response.statusCode(), response.body());
        assertEquals(401, garbage.statusCode(), garbage.body());
    }

    @Test
    void aPreflightAdmitsGetWithAnAuthorizationHeader() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/status"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://192.168.1.9:8080")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("GET"));
        assertEquals("authorization", response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
    }
}
