package org.nostrp2p.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;

/** Reads a server's {@code GET /status} as its owner would: with a NIP-98 header signed by the key. */
final class StatusRequests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StatusRequests() {
    }

    static HttpResponse<String> get(String restUrl, SecretKey signer) {
        String url = restUrl + "/status";
        Event auth = Events.sign(signer, Instant.now().getEpochSecond(), 27235,
                List.of(List.of("u", url), List.of("method", "GET")), "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Nostr " + Base64.getEncoder().encodeToString(EventJson.write(auth).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the owner's view of the overlay, parsed */
    static JsonNode status(Cluster.Node node) {
        HttpResponse<String> response = get(node.server.restUrl(), node.key);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(node + "'s /status answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether {@code from}'s server has a unicast route to {@code to}'s */
    static boolean routes(Cluster.Node from, Cluster.Node to) {
        return status(from).path("routes").has(to.server.peerName().toString());
    }
}
