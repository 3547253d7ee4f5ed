package org.nostrp2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.codec.CodecException;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.codec.Np2pCodec;

/**
 * A client of a NostrP2P server's REST API, sending what the Flutter client sends:
 * {@code POST /publish} with a signed event, {@code POST /req} with a filter (the answer is
 * gzip-accepted MessagePack). Thread-safe.
 */
public final class RestClient {

    /** What {@code /publish} answered. */
    public record PublishAnswer(int status, String reason) {
        /** @return whether the server stored the event */
        public boolean stored() {
            return status == 200;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;

    /** @param baseUrl e.g. {@code http://127.0.0.1:20001} */
    public RestClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * @return the server's answer: stored, or its status and reason
     * @throws UncheckedIOException when the server cannot be reached
     */
    public PublishAnswer publish(Event event) {
        HttpResponse<byte[]> response = post("/publish", EventJson.write(event), "application/json");
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() == 200) {
            return new PublishAnswer(200, "SUCCESS");
        }
        return new PublishAnswer(response.statusCode(), reason(body));
    }

    /**
     * @param filterJson a filter as the client sends it, e.g. {@code {"kinds":[40000],"since":0}}
     * @return the events answered (without signatures)
     * @throws IllegalStateException with the server's reason when it refuses
     * @throws UncheckedIOException when the server cannot be reached
     */
    public List<Event> req(String filterJson) {
        HttpResponse<byte[]> response = post("/req", filterJson, "application/octet-stream");
        byte[] body = response.body();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the server refused the request (" + response.statusCode() + "): "
                    + reason(new String(body, StandardCharsets.UTF_8)));
        }
        if (response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readNBytes(64 << 20);
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

    private HttpResponse<byte[]> post(String path, String json, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .header("Accept-Encoding", "gzip, deflate")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the server at " + baseUrl + ": " + e, e);
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
