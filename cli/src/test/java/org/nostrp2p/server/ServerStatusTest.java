package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.server.Cluster.Node;

/** {@code GET /status} of a running server over real mesh routers on loopback. */
class ServerStatusTest {

    @TempDir
    Path dir;
    private RouterCluster cluster;

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void theOwnerSeesTheOtherServerItsConnectionAndTheRouteToIt() {
        cluster = new RouterCluster(dir);
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        String bobName = bob.server.peerName().toString();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> StatusRequests.routes(alice, bob));

        JsonNode status = StatusRequests.status(alice);
        assertEquals(alice.server.peerName().toString(), status.get("name").asText());
        assertTrue(status.get("uid").asText().matches("[0-9]+"), status.toString());
        List<String> peers = new ArrayList<>();
        status.get("peers").forEach(p -> peers.add(p.get("name").asText()));
        assertTrue(peers.contains(bobName), peers.toString());
        assertEquals(bobName, status.get("routes").get(bobName).asText());
        JsonNode connection = status.get("connections").get(0);
        assertEquals(bobName, connection.get("name").asText());
        assertTrue(connection.get("established").asBoolean());
    }

    @Test
    void anotherUsersKeyIsRefused() {
        cluster = new RouterCluster(dir);
        Node alice = cluster.start("alice");

        assertEquals(403, StatusRequests.get(alice.server.restUrl(), SecretKey.generate()).statusCode());
    }
}
