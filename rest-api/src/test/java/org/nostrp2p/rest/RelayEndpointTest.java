package org.nostrp2p.rest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.rest.client.RelayClient;
import org.nostrp2p.rest.relay.RelayInformation;
import org.nostrp2p.rest.relay.RelayLimits;
import org.nostrp2p.store.SqliteEventStore;

/** The NIP-01 relay and NIP-11 document on {@code /} of the REST port, over real WebSockets on loopback. */
class RelayEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SecretKey owner = SecretKey.generate();
    private final SecretKey stranger = SecretKey.generate();
    private SqliteEventStore store;
    private StoreBackend backend;
    private RestServer server;
    private RelayClient relay;

    @BeforeEach
    void start() {
        store = SqliteEventStore.inMemory();
        backend = new StoreBackend(store, owner.publicKey().toHex());
        server = RestServer.builder().backend(backend).listen("127.0.0.1", 0)
                .relayInformation(new RelayInformation("test relay", "a test", owner.publicKey().toHex(), "9.9")).build();
        server.start();
        relay = RelayClient.connect(server.url());
    }

    @AfterEach
    void stop() {
        relay.close();
        server.stop();
        store.close();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static ReqFilter kinds(Integer... kinds) {
        return ReqFilter.ofKinds(kinds);
    }

    @Test
    void anEventOfTheOwnerIsAcceptedWithOkTrueAndStored() throws Exception {
        Event post = Events.sign(owner, now(), 1, List.of(), "hello relay");

        RelayClient.OkAnswer ok = relay.publish(post).get(10, TimeUnit.SECONDS);

        assertTrue(ok.accepted(), ok.message());
        assertTrue(store.get(post.id()).isPresent());
    }

    @Test
    void anEventSentTwiceIsADuplicateTheSecondTime() throws Exception {
        Event post = Events.sign(owner, now(), 1, List.of(), "once");

        RelayClient.OkAnswer first = relay.publish(post).get(10, TimeUnit.SECONDS);
        RelayClient.OkAnswer second = relay.publish(post).get(10, TimeUnit.SECONDS);

        assertEquals(new RelayClient.OkAnswer(true, ""), first);
        assertTrue(second.accepted());
        assertTrue(second.message().startsWith("duplicate:"), second.message());
        assertEquals(1, backend.writes.get());
    }

    @Test
    void aReadOnlyServerBlocksEveryEvent() throws Exception {
        RestServer readOnly = RestServer.builder().backend(backend).listen("127.0.0.1", 0).writable(false).build();
        readOnly.start();
        try (RelayClient client = RelayClient.connect(readOnly.url())) {
            RelayClient.OkAnswer ok = client.publish(Events.sign(owner, now(), 1, List.of(), "no")).get(10, TimeUnit.SECONDS);

            assertFalse(ok.accepted());
            assertTrue(ok.message().startsWith("blocked: this server refuses writes"), ok.message());
        } finally {
            readOnly.stop();
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedInsteadOfBufferedWithoutBound() throws Exception {
        // A bare TCP client: WebSocket handshake, one REQ, then it never reads again.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setReceiveBufferSize(4096);
            var out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes());
            byte[] req = "[\"REQ\",\"all\",{\"kinds\":[1],\"limit\":0}]".getBytes();
            byte[] frame = new byte[2 + 4 + req.length];
            frame[0] = (byte) 0x81;
            frame[1] = (byte) (0x80 | req.length);
            System.arraycopy(req, 0, frame, 6, req.length); // mask key 0: the payload is sent as is
            out.write(frame);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.relayConnections() == 2);

            // Live events for it pile up: far more than the socket buffers and the relay's bound hold.
            String big = "x".repeat(30_000);
            for (int i = 0; i < 2000 && server.relayConnections() == 2; i++) {
                backend.receive(Events.sign(stranger, now(), 1, List.of(), big + i));
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> server.relayConnections() == 1);
        }
    }

    @Test
    void anEventOfAnotherUserIsBlockedWithTheBackendsReason() throws Exception {
        RelayClient.OkAnswer ok = relay.publish(Events.sign(stranger, now(), 1, List.of(), "not mine")).get(10, TimeUnit.SECONDS);

        assertFalse(ok.accepted());
        assertTrue(ok.message().startsWith("blocked: only the server's own user"), ok.message());
    }

    @Test
    void kindsNostrP2PDoesNotCarryAreBlockedWithAReasonNeverDroppedSilently() throws Exception {
        for (int kind : new int[] {5, 10002, 30023}) {
            RelayClient.OkAnswer ok = relay.publish(Events.sign(owner, now(), kind, List.of(), "x")).get(10, TimeUnit.SECONDS);
            assertFalse(ok.accepted());
            assertTrue(ok.message().startsWith("blocked: NostrP2P does not carry kind " + kind), ok.message());
        }
    }

    @Test
    void aForgedSignatureOrIdIsInvalid() throws Exception {
        Event post = Events.sign(owner, now(), 1, List.of(), "original");
        String forgedContent = EventJson.write(post).replace("original", "altered");
        try (RawRelaySocket raw = new RawRelaySocket(server.url())) {
            raw.send("[\"EVENT\"," + forgedContent + "]");
            JsonNode ok = JSON.readTree(raw.next());
            assertEquals("OK", ok.get(0).asText());
            assertFalse(ok.get(2).asBoolean());
            assertTrue(ok.get(3).asText().startsWith("invalid:"), ok.toString());
        }
    }

    @Test
    void aReqAnswersStoredEventsNewestFirstThenEoseThenLiveEvents() throws Exception {
        Event older = Events.sign(owner, now() - 20, 1, List.of(), "older");
        Event newer = Events.sign(owner, now() - 10, 1, List.of(), "newer");
        backend.publish(older);
        backend.publish(newer);
        List<String> seen = new CopyOnWriteArrayList<>();
        relay.subscribe(List.of(kinds(1)), new RelayClient.Listener() {
            @Override
            public void event(Event event) {
                seen.add(event.content());
            }

            @Override
            public void endOfStoredEvents() {
                seen.add("EOSE");
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("EOSE"));

        backend.receive(Events.sign(stranger, now(), 1, List.of(), "live from the overlay"));
        backend.receive(Events.sign(stranger, now(), 7, List.of(), "+"));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
        assertEquals(List.of("newer", "older", "EOSE", "live from the overlay"), seen);
    }

    @Test
    void everyFilterFieldIsAppliedAndSeveralFiltersAreJoined() throws Exception {
        String target = "ab".repeat(32);
        Event tagged = Events.sign(owner, 1_700_000_100L, 1, List.of(List.of("p", target)), "tagged");
        Event early = Events.sign(owner, 1_700_000_000L, 1, List.of(), "early");
        Event profile = Events.sign(owner, 1_700_000_050L, 0, List.of(), "{\"name\":\"me\"}");
        List.of(tagged, early, profile).forEach(backend::publish);
        List<String> seen = new CopyOnWriteArrayList<>();
        var done = new java.util.concurrent.CountDownLatch(1);
        ReqFilter byTag = new ReqFilter(null, List.of(owner.publicKey().toHex()), List.of(1), Map.of('p', List.of(target)), null, null, null);
        ReqFilter byRange = new ReqFilter(null, null, List.of(1), Map.of(), 1_699_999_999L, 1_700_000_001L, 5L);
        ReqFilter byId = new ReqFilter(List.of(profile.idHex()), null, null, Map.of(), null, null, null);
        relay.subscribe(List.of(byTag, byRange, byId), new RelayClient.Listener() {
            @Override
            public void event(Event event) {
                seen.add(event.content());
            }

            @Override
            public void endOfStoredEvents() {
                done.countDown();
            }
        });

        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("tagged", "{\"name\":\"me\"}", "early"), seen);
    }

    @Test
    void aSubscriptionBeyondTheLimitIsClosedWithAReason() throws Exception {
        try (RawRelaySocket raw = new RawRelaySocket(server.url())) {
            for (int i = 0; i < RelayLimits.MAX_SUBSCRIPTIONS; i++) {
                raw.send("[\"REQ\",\"s" + i + "\",{\"kinds\":[1],\"limit\":0}]");
                assertEquals("[\"EOSE\",\"s" + i + "\"]", raw.next());
            }
            raw.send("[\"REQ\",\"one-too-many\",{\"kinds\":[1]}]");

            JsonNode closed = JSON.readTree(raw.next());
            assertEquals("CLOSED", closed.get(0).asText());
            assertEquals("one-too-many", closed.get(1).asText());
            assertTrue(closed.get(2).asText().startsWith("blocked: at most 20 open subscriptions"), closed.toString());
        }
    }

    @Test
    void tooManyFiltersInOneReqAreRefused() throws Exception {
        try (RawRelaySocket raw = new RawRelaySocket(server.url())) {
            String filters = String.join(",", java.util.Collections.nCopies(RelayLimits.MAX_FILTERS + 1, "{\"kinds\":[1]}"));
            raw.send("[\"REQ\",\"many\"," + filters + "]");

            JsonNode closed = JSON.readTree(raw.next());
            assertEquals("CLOSED", closed.get(0).asText());
            assertTrue(closed.get(2).asText().startsWith("invalid: at most " + RelayLimits.MAX_FILTERS + " filters"), closed.toString());
        }
    }

    @Test
    void aMalformedFilterClosesThatSubscriptionAndTheConnectionServesOn() throws Exception {
        try (RawRelaySocket raw = new RawRelaySocket(server.url())) {
            raw.send("[\"REQ\",\"bad\",{\"authors\":[\"not hex\"]}]");
            JsonNode closed = JSON.readTree(raw.next());
            raw.send("not json at all");
            JsonNode notice = JSON.readTree(raw.next());
            raw.send("[\"REQ\",\"good\",{\"kinds\":[1]}]");

            assertEquals("CLOSED", closed.get(0).asText());
            assertTrue(closed.get(2).asText().startsWith("invalid: filter 1: authors must be"), closed.toString());
            assertEquals("NOTICE", notice.get(0).asText());
            assertEquals("[\"EOSE\",\"good\"]", raw.next());
        }
    }

    @Test
    void aMessageOverTheSizeLimitClosesOnlyThatConnection() throws Exception {
        try (RawRelaySocket raw = new RawRelaySocket(server.url())) {
            raw.send("[\"REQ\",\"big\",{\"#t\":[\"" + "x".repeat(RelayLimits.MAX_MESSAGE_BYTES) + "\"]}]");

            String closed = raw.closed.get(10, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1009"), closed);
        }
        RelayClient.OkAnswer ok = relay.publish(Events.sign(owner, now(), 1, List.of(), "still served")).get(10, TimeUnit.SECONDS);
        assertTrue(ok.accepted());
    }

    @Test
    void eventsBeyondTheRateAreRateLimited() throws Exception {
        int rateLimited = 0;
        for (int i = 0; i < RelayLimits.EVENT_BURST * 3; i++) {
            RelayClient.OkAnswer ok = relay.publish(Events.sign(owner, now(), 1, List.of(), "burst " + i)).get(10, TimeUnit.SECONDS);
            if (!ok.accepted()) {
                assertTrue(ok.message().startsWith("rate-limited:"), ok.message());
                rateLimited++;
            }
        }
        assertTrue(rateLimited > 0, "no event was rate-limited");
    }

    @Test
    void theNip11DocumentNamesTheOwnerAndTheLimitsWithCors() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/"))
                .header("Accept", "application/nostr+json").header("Origin", "https://client.example").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("application/nostr+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("https://client.example", response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("true", response.headers().firstValue("Access-Control-Allow-Private-Network").orElse(""));
        JsonNode doc = JSON.readTree(response.body());
        assertEquals(owner.publicKey().toHex(), doc.get("pubkey").asText());
        assertEquals("[1,11]", doc.get("supported_nips").toString());
        assertTrue(doc.get("limitation").get("restricted_writes").asBoolean());
        assertEquals(RelayLimits.MAX_SUBSCRIPTIONS, doc.get("limitation").get("max_subscriptions").asInt());
    }

    @Test
    void aClosedSubscriptionGetsNoMoreLiveEvents() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        var eose = new java.util.concurrent.CountDownLatch(1);
        String id = relay.subscribe(List.of(kinds(1)), new RelayClient.Listener() {
            @Override
            public void event(Event event) {
                seen.add(event.content());
            }

            @Override
            public void endOfStoredEvents() {
                eose.countDown();
            }
        });
        assertTrue(eose.await(10, TimeUnit.SECONDS));
        relay.unsubscribe(id);
        // A second subscription on the same connection shows the CLOSE was handled (messages are handled in order).
        var second = new java.util.concurrent.CountDownLatch(1);
        relay.subscribe(List.of(kinds(1)), new RelayClient.Listener() {
            @Override
            public void event(Event event) {
                second.countDown();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.queried.size() >= 2);

        backend.receive(Events.sign(stranger, now(), 1, List.of(), "after close"));

        assertTrue(second.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(), seen);
    }
}
