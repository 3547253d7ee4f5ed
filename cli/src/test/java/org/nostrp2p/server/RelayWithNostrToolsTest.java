package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Event;
import org.nostrp2p.server.Cluster.Node;

/**
 * A standard Nostr client library, nostr-tools, uses a NostrP2P server as its relay: publishes,
 * subscribes, and receives live what other servers broadcast over real mesh routers, and a
 * profile its server fetched from the author's server.
 */
class RelayWithNostrToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private RouterCluster cluster;

    @BeforeAll
    static void installNostrTools() throws Exception {
        NostrToolsClient.install();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static boolean has(Node node, Event event) {
        return node.client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}").stream()
                .anyMatch(e -> e.idHex().equals(event.idHex()));
    }

    /**
     * Waits until each of the two hears the other's broadcasts. A broadcast sent before the
     * sender's routes know the other is lost (catch-up, off in some tests, would repair it), so
     * each side says hello again until one arrives.
     */
    private static void awaitConnected(Node a, Node b) {
        List<Event> fromA = new java.util.ArrayList<>();
        List<Event> fromB = new java.util.ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            boolean connected = fromA.stream().anyMatch(e -> has(b, e)) && fromB.stream().anyMatch(e -> has(a, e));
            if (!connected) {
                fromA.add(ServerScenarios.post(a, "hello from " + a));
                fromB.add(ServerScenarios.post(b, "hello from " + b));
            }
            return connected;
        });
    }

    @Test
    void aPostPublishedWithNostrToolsIsAcceptedAndReachesTheOtherServer() throws Exception {
        cluster = new RouterCluster(dir);
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected(alice, bob);

        String okLine;
        try (NostrToolsClient.Run run = NostrToolsClient.start(alice.server.restUrl(), "publish", alice.key.toHex(), "1", "from nostr-tools")) {
            okLine = run.next("OK ");
            assertEquals(0, run.exitCode());
        }

        String id = okLine.substring(3).trim();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> bob.client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}")
                .stream().anyMatch(e -> e.idHex().equals(id) && e.content().equals("from nostr-tools")));
    }

    @Test
    void nostrToolsSeesTheRefusalOfAnotherUsersEventWithItsReason() throws Exception {
        cluster = new RouterCluster(dir);
        Node alice = cluster.start("alice");
        String stranger = org.nostrp2p.model.crypto.SecretKey.generate().toHex();

        try (NostrToolsClient.Run run = NostrToolsClient.start(alice.server.restUrl(), "publish", stranger, "1", "not alice")) {
            String refused = run.next("REFUSED ");
            assertTrue(refused.contains("blocked: only this server's own user"), refused);
            assertEquals(1, run.exitCode());
        }
    }

    @Test
    void nostrToolsGetsStoredPostsThenEoseThenLiveAPostAnotherServerBroadcast() throws Exception {
        cluster = new RouterCluster(dir);
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected(alice, bob);
        // limit 1: exactly one stored event (the newest hello), however many hellos it took.
        String filter = "{\"kinds\":[1],\"authors\":[\"" + bob.pubkey() + "\"],\"limit\":1}";

        try (NostrToolsClient.Run run = NostrToolsClient.start(alice.server.restUrl(), "subscribe", filter, "2")) {
            JsonNode stored = JSON.readTree(run.next("EVENT ").substring(6));
            run.next("EOSE");
            Event live = ServerScenarios.post(bob, "broadcast by bob while alice's client listens");
            JsonNode received = JSON.readTree(run.next("EVENT ").substring(6));

            assertEquals("hello from bob", stored.get("content").asText());
            assertEquals(live.idHex(), received.get("id").asText());
            assertEquals(live.sigHex(), received.get("sig").asText());
            assertEquals(0, run.exitCode());
        }
    }

    @Test
    void aProfileTheServerLacksIsFetchedFromItsAuthorsServerAndArrivesOnTheOpenSubscription() throws Exception {
        cluster = new RouterCluster(dir);
        Node bob = cluster.start("bob");
        Event profile = ServerScenarios.publish(bob, ServerScenarios.now(), 0, List.of(), "{\"name\":\"bob\",\"about\":\"far away\",\"picture\":\"\"}");
        // Alice joins afterwards and does not catch up: only a fetch from bob's server can bring the profile.
        cluster.catchUpAttempts = List.of();
        Node alice = cluster.start("alice");
        awaitConnected(alice, bob);
        assertTrue(alice.server.store().latestReplaceable(bob.pubkey(), 0).isEmpty(), "alice already had bob's profile");

        String filter = "{\"kinds\":[0],\"authors\":[\"" + bob.pubkey() + "\"]}";
        try (NostrToolsClient.Run run = NostrToolsClient.start(alice.server.restUrl(), "subscribe", filter, "1")) {
            run.next("EOSE");
            JsonNode received = JSON.readTree(run.next("EVENT ").substring(6));

            assertEquals(profile.idHex(), received.get("id").asText());
            assertEquals(0, run.exitCode());
        }
    }

    @Test
    void aPostTheServerLacksIsFetchedByIdFromItsAuthorsServerAndArrivesOnTheOpenSubscription() throws Exception {
        cluster = new RouterCluster(dir);
        Node bob = cluster.start("bob");
        Event post = ServerScenarios.post(bob, "posted before alice existed");
        cluster.catchUpAttempts = List.of();
        Node alice = cluster.start("alice");
        awaitConnected(alice, bob);
        assertTrue(alice.server.store().get(post.id()).isEmpty(), "alice already had bob's post");

        String filter = "{\"ids\":[\"" + post.idHex() + "\"],\"authors\":[\"" + bob.pubkey() + "\"]}";
        try (NostrToolsClient.Run run = NostrToolsClient.start(alice.server.restUrl(), "subscribe", filter, "1")) {
            run.next("EOSE");
            JsonNode received = JSON.readTree(run.next("EVENT ").substring(6));

            assertEquals(post.idHex(), received.get("id").asText());
            assertEquals(0, run.exitCode());
        }
    }
}
