package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.Filter;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.server.Cluster.Node;

/**
 * Issue 13's attacks from a hostile mesh peer on loopback (real routers, real TCP, real
 * SQLite), scaled to seconds: each fails. The owner's client is answered within
 * {@link #POLL_DEADLINE} throughout; the owner's and followed authors' posts stay.
 */
class NetworkAttacksTest extends ServerScenariosBase {

    /** The issue asks 1 s; loose enough for a loaded 2-core CI machine, tight enough to catch an OOM-ing or scanning server. */
    static final Duration POLL_DEADLINE = Duration.ofSeconds(2);
    private static final String MALLORY = "0a:0b:0c:0d:0e:0f";

    @Override
    Cluster newCluster(Path root) {
        return new RouterCluster(root);
    }

    private HostilePeer hostileNextTo(Node node) {
        HostilePeer mallory = new HostilePeer(MALLORY, node.server.overlayAddress());
        await().atMost(WAIT).until(() -> mallory.reaches(node.server.peerName()));
        return mallory;
    }

    private static byte[] packetOf(Event... events) {
        return Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(events)));
    }

    /** The owner's timeline poll answers 200 within the deadline. */
    static List<Event> pollPromptly(Node node) {
        return pollPromptly(node, TIMELINE);
    }

    /** A poll of the given shape answers 200 within the deadline. */
    static List<Event> pollPromptly(Node node, String filter) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.server.restUrl() + "/req")).timeout(POLL_DEADLINE)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(filter)).build();
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            return Np2pCodec.decodeEventsResp(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("the poll was not answered within " + POLL_DEADLINE + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean holds(Node node, SecretKey author) {
        return !node.server.store().query(new Filter(null, List.of(author.publicKey().toHex()), null, null, null, null, 1)).isEmpty();
    }

    @Test
    void eventsOfOneMebibyteFromAPeerAreRefusedUnstoredAndNotPassedOn() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();
        SecretKey spammer = SecretKey.generate();
        String mebibyte = "x".repeat(1 << 20);
        try (HostilePeer mallory = hostileNextTo(alice)) {
            for (int i = 0; i < 40; i++) {
                mallory.broadcast(packetOf(Events.sign(spammer, now(), 1, List.of(), mebibyte + i)));
            }

            await().atMost(WAIT).until(() -> alice.server.refusals().oversized() == 40);
            pollPromptly(alice);
            Event after = post(alice, "after the flood");
            awaitTimelineHas(bob, after);
            assertTrue(!holds(alice, spammer) && !holds(bob, spammer), "an oversized event was stored");
        }
    }

    @Test
    void eventsWithTensOfThousandsOfTagsAreRefusedAndPollsStillAnswer() {
        Node alice = cluster.start("alice");
        SecretKey spammer = SecretKey.generate();
        List<List<String>> manyTags = Collections.nCopies(100_000, List.of("t", "x"));
        List<List<String>> tooManySmallTags = Collections.nCopies(2_500, List.of("t", "x"));
        try (HostilePeer mallory = hostileNextTo(alice)) {
            for (int i = 0; i < 5; i++) {
                mallory.broadcast(packetOf(Events.sign(spammer, now(), 1, manyTags, "tags " + i)));
            }
            mallory.broadcast(packetOf(Events.sign(spammer, now(), 1, tooManySmallTags, "2,500 small tags")));

            await().atMost(WAIT).until(() -> alice.server.refusals().oversized() == 6);
            pollPromptly(alice);
            assertTrue(!holds(alice, spammer));
        }
    }

    @Test
    void profilesFromFreshKeysCannotPushOutWhatTheOwnerReadsAndTheCapHolds() {
        cluster.settings = builder -> builder.maxEvents(300);
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();
        publish(alice, now(), 3, List.of(List.of("p", bob.pubkey(), "", "")), "");
        List<Event> read = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            read.add(publish(alice, now() - 3600 + i, 1, List.of(), "alice " + i));
            read.add(publish(bob, now() - 3600 + i, 1, List.of(), "bob " + i));
        }
        read.forEach(e -> awaitTimelineHas(alice, e));
        try (HostilePeer mallory = hostileNextTo(alice)) {
            List<Event> profiles = IntStream.range(0, 450)
                    .mapToObj(i -> Events.sign(SecretKey.generate(), now() - 60, 0, List.of(), "{\"name\":\"spam " + i + "\"}")).toList();
            mallory.broadcast(Np2pCodec.encodePacket(Np2pPacket.ofEvents(profiles)));
            await().atMost(WAIT).until(() -> alice.server.store().count() >= 450);
            alice.server.enforceRetention();

            assertTrue(alice.server.store().count() <= 300, "over the cap: " + alice.server.store().count());
            read.forEach(e -> assertTrue(alice.server.store().get(e.id()).isPresent(), "evicted: " + e));
            Event fresh = post(bob, "a new post after the spam");
            awaitTimelineHas(alice, fresh);
            // The client's second poll shape: everything since its last poll.
            List<Event> timeline = pollPromptly(alice, "{\"kinds\":[40000],\"since\":" + (now() - 7200) + ",\"until\":" + now()
                    + ",\"limit\":-1}");
            read.forEach(e -> assertTrue(timeline.stream().anyMatch(t -> t.idHex().equals(e.idHex())), "not in the timeline: " + e));
            assertTrue(pollPromptly(alice).stream().anyMatch(t -> t.idHex().equals(fresh.idHex())));
        }
    }

    @Test
    void postsDatedYearsAheadAreRefusedFromPeersAndFromTheOwnersClientWithTheReason() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();
        SecretKey spammer = SecretKey.generate();
        long fiftyYears = 50L * 365 * 86_400;
        try (HostilePeer mallory = hostileNextTo(alice)) {
            List<Event> future = IntStream.range(0, 100)
                    .mapToObj(i -> Events.sign(spammer, now() + fiftyYears + i, 1, List.of(), "from the future " + i)).toList();
            mallory.broadcast(Np2pCodec.encodePacket(Np2pPacket.ofEvents(future)));

            await().atMost(WAIT).until(() -> alice.server.refusals().mistimed() == 100);
            RestClient.PublishAnswer own = alice.client.publish(Events.sign(alice.key, now() + 3600, 1, List.of(), "an hour ahead"));
            assertEquals(400, own.status());
            assertTrue(own.reason().contains("ahead of this server's clock"), own.reason());
            Event onTime = post(alice, "on time");
            awaitTimelineHas(bob, onTime);
            assertTrue(!holds(alice, spammer) && !holds(bob, spammer));
            List<Event> timeline = pollPromptly(alice);
            assertTrue(timeline.stream().anyMatch(e -> e.idHex().equals(onTime.idHex())), "the owner's post is in the timeline");
            assertTrue(timeline.stream().allMatch(e -> e.createdAt() <= now() + 900), "a post-dated event in the timeline");
        }
    }
}
