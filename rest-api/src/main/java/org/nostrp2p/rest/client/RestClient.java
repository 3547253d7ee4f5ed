package org.nostrp2p.rest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.codec.CodecException;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.rest.ReqFilter;

/**
 * A client of a NostrP2P server's REST API, sending what the Flutter client sends:
 * {@code POST /publish} with a signed event, {@code POST /req} with a filter (the answer is
 * gzip-accepted MessagePack); and {@code GET /status} signed NIP-98 style with the owner's key.
 * Thread-safe; every call blocks until the answer (at most 30 s).
 */
public final class RestClient {

    /**
     * What {@code /publish} answered.
     *
     * @param status the HTTP status
     * @param reason {@code SUCCESS}, or the server's reason for refusing
     */
    public record PublishAnswer(int status, String reason) {
        /** @return whether the server stored the event */
        public boolean stored() {
            return status == 200;
        }
    }

    /** The largest answer body read, after gzip. */
    public static final int MAX_ANSWER_BYTES = 64 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;

    /** @param baseUrl e.g. {@code http://127.0.0.1:20001} */
    public RestClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** @return the server's base URL, without a trailing slash */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * @param event a signed event
     * @return the server's answer: stored, or its status and reason
     * @throws ServerUnreachableException when the server cannot be reached
     */
    public PublishAnswer publish(Event event) {
        HttpResponse<byte[]> response = send(post("/publish", EventJson.write(event), "application/json"));
        if (response.statusCode() == 200) {
            return new PublishAnswer(200, "SUCCESS");
        }
        return new PublishAnswer(response.statusCode(), reason(new String(response.body(), StandardCharsets.UTF_8)));
    }

    /**
     * @param filter a filter as the client sends it
     * @return the events answered (without signatures)
     * @throws IllegalStateException with the server's reason when it refuses
     * @throws ServerUnreachableException when the server cannot be reached
     */
    public List<Event> req(ReqFilter filter) {
        return req(filter.toJson());
    }

    /**
     * @param filterJson a filter as the client sends it, e.g. {@code {"kinds":[40000],"since":0}}
     * @return the events answered (without signatures)
     * @throws IllegalStateException with the server's reason when it refuses
     * @throws ServerUnreachableException when the server cannot be reached
     */
    public List<Event> req(String filterJson) {
        HttpResponse<byte[]> response = send(post("/req", filterJson, "application/octet-stream"));
        byte[] body = response.body();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the server refused the request (" + response.statusCode() + "): "
                    + reason(new String(body, StandardCharsets.UTF_8)));
        }
        if (response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readNBytes(MAX_ANSWER_BYTES);
            } catch (IOException e) {
                throw new IllegalStateException("the server's answer is not valid gzip: " + e.getMessage());
            }
        }
        try {
            return Np2pCodec.decodeEventsResp(body);
        } catch (CodecException e) {
            throw new IllegalStateException("the server's answer is not a NostrP2P events answer: " + e.getMessage());
        }
    }

    /**
     * Reads the server's status (peers, connections, routes), which only its owner may read:
     * the request carries a NIP-98 authorization signed with {@code ownerKey}.
     *
     * @param ownerKey the owner's secret key
     * @return the status document as the server wrote it
     * @throws IllegalStateException with the server's reason when it refuses (401/403: not the owner's key)
     * @throws ServerUnreachableException when the server cannot be reached
     */
    public JsonNode status(SecretKey ownerKey) {
        String url = baseUrl + "/status";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Authorization", Nip98.authorization(ownerKey, url, "GET", Instant.now().getEpochSecond()))
                .GET().build();
        HttpResponse<byte[]> response = send(request);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() == 404) {
            throw new IllegalStateException("your server at " + baseUrl + " has no status endpoint (GET /status); it runs a version without one");
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the server refused the status request (" + response.statusCode() + "): " + reason(body));
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the server's status is not JSON: " + e.getMessage());
        }
    }

    private HttpRequest post(String path, String json, String accept) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .header("Accept-Encoding", "gzip, deflate")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ServerUnreachableException(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String reason(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            for (String key : new String[] {"Error", "Reason", "error"}) {
                if (node != null && node.hasNonNull(key)) {
                    return node.get(key).asText();
                }
            }
        } catch (IOException e) {
            // Not JSON: show it as it came.
        }
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }
}
