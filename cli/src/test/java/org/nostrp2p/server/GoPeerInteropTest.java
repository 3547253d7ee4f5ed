package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.overlay.name.PeerName;

/**
 * A Java server and a Go NostrP2P peer (interop/np2ppeer: real mesh, the Go server's types,
 * vmihailenco/msgpack/v5) on one overlay: Go-encoded packets carrying real signed events are
 * stored and served; what the Java server sends decodes in Go and would not crash the Go server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoPeerInteropTest {

    @TempDir
    static Path dir;

    private final SecretKey alice = SecretKey.generate();
    private final SecretKey gopher = SecretKey.generate();
    private NostrP2PServer server;
    private RestClient client;
    private GoNp2pPeer go;

    @BeforeAll
    void start() throws Exception {
        server = NostrP2PServer.builder().publicKey(alice.publicKey()).listen("127.0.0.1", 0)
                .dataDirectory(dir.resolve("alice")).build();
        server.start();
        client = new RestClient(server.restUrl());
        go = GoNp2pPeer.start(PeerName.fromLastBytes(gopher.publicKey().bytes()), server.overlayAddress());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> go.routes() >= 1);
    }

    @AfterAll
    void stop() {
        if (go != null) {
            go.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private boolean timelineHas(Event event) {
        return client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}").stream().anyMatch(e -> e.idHex().equals(event.idHex()));
    }

    private JsonNode awaitGoReceived(String type, Event event) {
        return go.awaitLine(l -> l.path("event").asText().equals("received") && l.path("type").asText().equals(type)
                && l.path("packet").path("events").toString().contains(event.idHex()));
    }

    @Test
    void aGoEncodedBroadcastWithARealSignedPostIsStoredAndServedAndAForgedOneIsNot() {
        Event post = Events.sign(gopher, now(), 1, List.of(), "hello from Go ✓");
        Event other = Events.sign(gopher, now(), 1, List.of(), "forged");
        byte[] sig = other.sig();
        sig[10] ^= 1;
        Event forged = new Event(other.id(), other.pubkey(), other.createdAt(), 1, List.of(), "forged", sig);

        go.broadcastEvents(List.of(forged));
        go.broadcastEvents(List.of(post));

        await().atMost(Duration.ofSeconds(20)).until(() -> timelineHas(post));
        assertFalse(timelineHas(forged));
        assertEquals(post.withoutSig(), client.req("{\"kinds\":[1],\"ids\":[\"" + post.idHex() + "\"],\"authors\":[\"" + post.pubkeyHex() + "\"]}").get(0));
    }

    @Test
    void aGoUsersBroadcastProfileIsServedToOurClient() {
        Event profile = Events.sign(gopher, now(), 0, List.of(), "{\"name\":\"gopher\",\"about\":\"\",\"picture\":\"\"}");

        go.broadcastEvents(List.of(profile));

        String ask = "{\"kinds\":[0],\"authors\":[\"" + gopher.publicKey().toHex() + "\"]}";
        await().atMost(Duration.ofSeconds(20)).until(() -> client.req(ask).contains(profile.withoutSig()));
    }

    @Test
    void ourPostDecodesInGoWithEveryFieldAsSigned() {
        Event post = Events.sign(alice, now(), 1, List.of(List.of("t", "nostrp2p")), "こんにちは \"Go\"\n");
        assertTrue(client.publish(post).stored());

        JsonNode received = awaitGoReceived("broadcast", post);

        assertTrue(received.path("ok").asBoolean(), received.toString());
        assertEquals("", received.path("wouldCrashGoServer").asText());
        assertTrue(received.path("reqsNil").asBoolean());
        JsonNode event = received.path("packet").path("events").get(0);
        assertEquals(post.pubkeyHex(), event.path("pubkey").asText());
        assertEquals(post.createdAt(), event.path("created_at").asLong());
        assertEquals(1, event.path("kind").asInt());
        assertEquals("[[\"t\",\"nostrp2p\"]]", event.path("tags").toString());
        assertEquals(post.content(), event.path("content").asText());
        assertEquals(post.sigHex(), event.path("sig").asText());
        assertEquals(server.peerName().toString(), received.path("src").asText());
    }

    @Test
    void ourReplyAndLikeToAGoUserReachItsServerAloneByUnicast() {
        Event gophersPost = Events.sign(gopher, now(), 1, List.of(), "reply to me");
        go.broadcastEvents(List.of(gophersPost));
        await().atMost(Duration.ofSeconds(20)).until(() -> timelineHas(gophersPost));
        String gopherHex = gopher.publicKey().toHex();

        Event reply = Events.sign(alice, now(), 1, List.of(List.of("e", gophersPost.idHex(), "", "root"), List.of("p", gopherHex)), "a reply");
        Event like = Events.sign(alice, now(), 7, List.of(List.of("e", gophersPost.idHex()), List.of("p", gopherHex)), "+");
        assertTrue(client.publish(reply).stored());
        assertTrue(client.publish(like).stored());

        for (Event event : List.of(reply, like)) {
            JsonNode received = awaitGoReceived("unicast", event);
            assertEquals("", received.path("wouldCrashGoServer").asText());
            assertEquals(1, received.path("packet").path("events").size());
        }
        assertTrue(go.received("broadcast").stream().noneMatch(l -> l.toString().contains(reply.idHex())));
    }

    @Test
    void ourRequestsForWhatWeLackDecodeInGoAndWouldNotCrashTheGoServer() {
        String gopherHex = gopher.publicKey().toHex();
        String missingId = "cd".repeat(32);

        client.req("{\"kinds\":[3],\"authors\":[\"" + gopherHex + "\"]}");
        client.req("{\"kinds\":[1],\"ids\":[\"" + missingId + "\"],\"authors\":[\"" + gopherHex + "\"]}");

        JsonNode followListRequest = go.awaitLine(l -> l.path("type").asText().equals("unicast")
                && l.path("packet").path("reqs").path(0).path("kind").asInt(-1) == 3);
        JsonNode postRequest = go.awaitLine(l -> l.path("type").asText().equals("unicast")
                && l.path("packet").path("reqs").path(0).path("kind").asInt(-1) == 1);
        for (JsonNode request : List.of(followListRequest, postRequest)) {
            assertEquals("", request.path("wouldCrashGoServer").asText(), request.toString());
            assertTrue(request.path("eventsNil").asBoolean());
            assertEquals(1, request.path("packet").path("reqs").size());
        }
        assertEquals(missingId, postRequest.path("packet").path("reqs").get(0).path("args").path("evtId").get(0).path("bin").asText());
    }

    @Test
    void aGoPeersProfileAndRecentEventsRequestsAreAnsweredInPacketsGoDecodes() {
        Event profile = Events.sign(alice, now(), 0, List.of(), "{\"name\":\"alice\",\"about\":\"\",\"picture\":\"\"}");
        Event post = Events.sign(alice, now(), 1, List.of(), "for the catch-up");
        assertTrue(client.publish(profile).stored());
        assertTrue(client.publish(post).stored());

        go.unicastRequest(server.peerName(), 42, 0, null);
        go.broadcastRequest(7_000_000_000_000_000_000L, 40000);

        JsonNode profileAnswer = go.awaitLine(l -> l.path("type").asText().equals("unicast")
                && l.path("packet").path("events").size() == 1 && l.path("packet").path("events").get(0).path("kind").asInt() == 0);
        assertEquals(profile.sigHex(), profileAnswer.path("packet").path("events").get(0).path("sig").asText());
        JsonNode catchUp = go.awaitLine(l -> l.path("type").asText().equals("unicast") && l.path("packet").path("events").toString().contains(post.idHex()));
        assertEquals("", catchUp.path("wouldCrashGoServer").asText());
        List<String> kinds = new ArrayList<>();
        catchUp.path("packet").path("events").forEach(e -> kinds.add(e.path("kind").asText()));
        assertFalse(kinds.contains("3"));
    }
}
