package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.server.Cluster.Node;

/** A cluster per test and the helpers scenarios use: publish, post, poll, wait for a timeline. */
abstract class ServerScenariosBase {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String TIMELINE = "{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}";

    @TempDir
    Path dir;
    Cluster cluster;

    abstract Cluster newCluster(Path root);

    @BeforeEach
    void createCluster() {
        cluster = newCluster(dir);
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static Event publish(Node node, long createdAt, int kind, List<List<String>> tags, String content) {
        Event event = Events.sign(node.key, createdAt, kind, tags, content);
        RestClient.PublishAnswer answer = node.client.publish(event);
        assertTrue(answer.stored(), () -> node + " refused: " + answer);
        return event;
    }

    static Event post(Node node, String content) {
        return publish(node, now(), 1, List.of(), content);
    }

    static boolean timelineHas(Node node, Event event) {
        return node.client.req(TIMELINE).stream().anyMatch(e -> e.idHex().equals(event.idHex()));
    }

    static void awaitTimelineHas(Node node, Event event) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> timelineHas(node, event));
    }

    /** Waits until a broadcast sent after {@code event} reached {@code node}, so {@code event} had every chance to. */
    static void settle(Node from, Node... to) {
        Event marker = post(from, "marker " + System.nanoTime());
        for (Node node : to) {
            awaitTimelineHas(node, marker);
        }
    }

    /** Waits until every server hears every other (broadcasts reach all). */
    void awaitConnected() {
        for (Node from : cluster.nodes) {
            Event hello = post(from, "hello from " + from);
            for (Node to : cluster.nodes) {
                awaitTimelineHas(to, hello);
            }
        }
    }
}
