package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventLimits;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.codec.Np2pReq;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.server.Cluster.Node;
import org.nostrp2p.store.SqliteEventStore;

/**
 * Admission (issues 13 and 12) over the in-memory overlay, where a test can name the neighbour a
 * packet came through and play the overlay's name-collision events: time sanity from the owner's
 * client, replays, cross-origin publishing, neighbour budgets, catch-up budgets, duplicate
 * identity, a store healed at start. The REST API is real HTTP on loopback.
 */
class AdmissionTest extends ServerScenariosBase {

    private static final PeerName MALLORY = PeerName.parse("0a:0b:0c:0d:0e:0f");
    private static final PeerName HONEST = PeerName.parse("0a:0b:0c:0d:0e:10");

    @Override
    Cluster newCluster(Path root) {
        return new InMemoryCluster(root);
    }

    private InMemoryNetwork network() {
        return ((InMemoryCluster) cluster).network;
    }

    private static byte[] packetOf(List<Event> events) {
        return Np2pCodec.encodePacket(Np2pPacket.ofEvents(events));
    }

    @Test
    void theOwnersClientCannotPublishTimesBeyondWhatFloat64CarriesExactly() {
        Node alice = cluster.start("alice");

        for (long t : new long[] {(1L << 53) + 1, Long.MAX_VALUE}) {
            RestClient.PublishAnswer answer = alice.client.publish(Events.sign(alice.key, t, 1, List.of(), "far"));
            assertEquals(400, answer.status());
            assertTrue(answer.reason().contains("2^53"), answer.reason());
        }
        assertEquals(0, alice.server.store().count());
    }

    @Test
    void theSameSignedEventPublishedAgainAndAgainIsAnsweredSuccessAndBroadcastOnce() {
        Node alice = cluster.start("alice");
        Event post = Events.sign(alice.key, now(), 1, List.of(), "once is enough");

        // 150: within one address's request burst (200, then 50/s answered 429: RestLimits)
        for (int i = 0; i < 150; i++) {
            assertTrue(alice.client.publish(post).stored());
        }

        long frames = network().sent().stream().filter(InMemoryNetwork.Sent::broadcast)
                .map(s -> Np2pCodec.decodePacket(s.packet()).events())
                .filter(events -> events != null && events.stream().anyMatch(e -> e.idHex().equals(post.idHex()))).count();
        assertEquals(1, frames);
    }

    @Test
    void aPublishABrowserPageCouldSendCrossOriginWithoutPreflightIsRefused() throws Exception {
        Node alice = cluster.start("alice");
        String json = EventJson.write(Events.sign(alice.key, now(), 1, List.of(), "from a hostile page"));
        HttpClient http = HttpClient.newHttpClient();

        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(alice.server.restUrl() + "/publish"))
                    .header("content-type", type).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(415, response.statusCode(), type);
            assertTrue(response.body().contains("application/json"), response.body());
        }
        assertEquals(0, alice.server.store().count());
    }

    @Test
    void aNeighbourBringingEventsByStrangersIsHeldToItsBudgetWhileFollowedAuthorsAndOtherNeighboursPass() {
        cluster.settings = builder -> builder.unfollowedEventBudget(0, 20);
        Node alice = cluster.start("alice");
        SecretKey followed = SecretKey.generate();
        publish(alice, now(), 3, List.of(List.of("p", followed.publicKey().toHex(), "", "")), "");
        List<Event> spam = IntStream.range(0, 100)
                .mapToObj(i -> Events.sign(SecretKey.generate(), now(), 1, List.of(), "spam " + i)).toList();

        for (Event event : spam) {
            network().broadcastVia(PeerName.parse("0a:00:00:00:00:" + String.format("%02x", spam.indexOf(event))), MALLORY,
                    alice.server.peerName(), packetOf(List.of(event)));
        }
        Event byFollowed = Events.sign(followed, now(), 1, List.of(), "followed, through the same neighbour");
        Event viaHonest = Events.sign(SecretKey.generate(), now(), 1, List.of(), "a stranger, through another neighbour");
        assertNotNull(network().broadcastVia(MALLORY, MALLORY, alice.server.peerName(), packetOf(List.of(byFollowed))));
        assertNotNull(network().broadcastVia(HONEST, HONEST, alice.server.peerName(), packetOf(List.of(viaHonest))));

        awaitTimelineHas(alice, byFollowed);
        awaitTimelineHas(alice, viaHonest);
        assertEquals(80, alice.server.refusals().overBudget(), "charged to the neighbour, whatever sources it claims");
        await().atMost(WAIT).until(() -> alice.server.store().count() == 1 + 20 + 2);
    }

    @Test
    void aNeighbourRelayingForgedEventsOfAFollowedAuthorBuysOnlyAFewSignatureChecks() {
        // A clock that stands still: no budget refills while the test runs, however slowly.
        cluster.settings = builder -> builder.clock(java.time.Clock.fixed(java.time.Instant.now(), java.time.ZoneOffset.UTC));
        Node alice = cluster.start("alice");
        SecretKey followed = SecretKey.generate();
        publish(alice, now(), 3, List.of(List.of("p", followed.publicKey().toHex(), "", "")), "");
        Event genuine = Events.sign(followed, now(), 1, List.of(), "genuine");
        byte[] badSig = genuine.sig();
        badSig[7] ^= 1;

        for (int i = 0; i < 100; i++) {
            Event forged = Events.sign(followed, now() - i, 1, List.of(), "forged " + i);
            network().broadcastVia(MALLORY, MALLORY, alice.server.peerName(), packetOf(List.of(
                    new Event(forged.id(), forged.pubkey(), forged.createdAt(), 1, forged.tags(), forged.content(), badSig))));
        }
        byte[] fromMallory = network().broadcastVia(MALLORY, MALLORY, alice.server.peerName(), packetOf(List.of(genuine)));
        byte[] fromHonest = network().broadcastVia(HONEST, HONEST, alice.server.peerName(), packetOf(List.of(genuine)));

        assertEquals(Admission.FORGED_BURST, alice.server.refusals().forged(), "signature checks spent on forgeries");
        assertNull(fromMallory, "the forger's neighbour is cut off until its budget refills");
        assertNotNull(fromHonest);
        awaitTimelineHas(alice, genuine);
    }

    @Test
    void catchUpRequestsAreAnsweredTwiceAtMostPerSourceAndAFewASecondInAll() {
        // A clock that stands still: no budget refills while the test runs, however slowly.
        cluster.settings = builder -> builder.clock(java.time.Clock.fixed(java.time.Instant.now(), java.time.ZoneOffset.UTC));
        Node alice = cluster.start("alice");
        post(alice, "something to answer with");
        List<PeerName> spoofed = IntStream.range(0, 200)
                .mapToObj(i -> PeerName.parse("0b:00:00:00:" + String.format("%02x:%02x", i / 256, i % 256))).toList();
        network().join(MALLORY).start(new SilentListener());
        spoofed.forEach(name -> network().join(name).start(new SilentListener()));
        int before = unicastsFrom(alice);

        for (int i = 0; i < 5; i++) {
            network().broadcastVia(MALLORY, MALLORY, alice.server.peerName(),
                    Np2pCodec.encodePacket(Np2pPacket.ofRequest(new Np2pReq(1000 + i, Np2pReq.KIND_RECENT_EVENTS, null))));
        }
        for (int i = 0; i < spoofed.size(); i++) {
            network().broadcastVia(spoofed.get(i), MALLORY, alice.server.peerName(),
                    Np2pCodec.encodePacket(Np2pPacket.ofRequest(new Np2pReq(5000 + i, Np2pReq.KIND_RECENT_EVENTS, null))));
        }
        // The work queue is first in, first out: once this is stored, every request was handled.
        Event marker = Events.sign(SecretKey.generate(), now(), 1, List.of(), "marker");
        network().broadcastVia(HONEST, HONEST, alice.server.peerName(), packetOf(List.of(marker)));
        await().atMost(WAIT).until(() -> alice.server.store().get(marker.id()).isPresent());

        assertEquals(2, network().sent().stream().filter(s -> !s.broadcast() && MALLORY.equals(s.destination())).count());
        // 3 at once in all (then 3 a second): MALLORY took 2, the 200 spoofed sources share the third.
        assertEquals(3, unicastsFrom(alice) - before);
    }

    /** A peer that takes what it is sent and does nothing. */
    private static final class SilentListener implements OverlayListener {
        @Override
        public byte[] onBroadcast(PeerName source, PeerName relayedBy, byte[] packet) {
            return null;
        }

        @Override
        public void onUnicast(PeerName source, PeerName relayedBy, byte[] packet) {
        }
    }

    @Test
    void aNeighbourFloodingRequestsIsAnsweredWithinItsRequestBudget() {
        cluster.settings = builder -> builder.clock(java.time.Clock.fixed(java.time.Instant.now(), java.time.ZoneOffset.UTC));
        Node alice = cluster.start("alice");
        publish(alice, now(), 0, List.of(), "{\"name\":\"alice\"}");
        network().join(MALLORY).start(new SilentListener());
        byte[] ask = Np2pCodec.encodePacket(Np2pPacket.ofRequest(new Np2pReq(7, Np2pReq.KIND_PROFILE, null)));

        for (int i = 0; i < 1000; i++) {
            alice.server.receiver().onUnicast(MALLORY, MALLORY, ask);
        }
        Event marker = Events.sign(SecretKey.generate(), now(), 1, List.of(), "marker");
        network().broadcastVia(HONEST, HONEST, alice.server.peerName(), packetOf(List.of(marker)));
        await().atMost(WAIT).until(() -> alice.server.store().get(marker.id()).isPresent());

        long answered = network().sent().stream().filter(s -> !s.broadcast() && MALLORY.equals(s.destination())).count();
        assertEquals(PacketReceiver.REQUESTS_BURST, answered);
        assertEquals(1000 - answered, alice.server.refusals().overBudget());
    }

    private int unicastsFrom(Node node) {
        return (int) network().sent().stream().filter(s -> !s.broadcast() && s.source().equals(node.server.peerName())).count();
    }

    @Test
    void aNameCollisionIsReportedOnBothServersAndUnicastsForThatUserWaitUntilItIsResolved() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();
        Event bobsPost = post(bob, "reply to me");
        awaitTimelineHas(alice, bobsPost);

        network().nameCollision(bob.server.peerName());
        Event reply = publish(alice, now(), 1, List.of(List.of("e", bobsPost.idHex(), "", "root"), List.of("p", bob.pubkey())), "held");

        assertEquals(Set.of(bob.server.peerName()), alice.server.identityCollisions());
        assertEquals(Set.of(bob.server.peerName()), bob.server.identityCollisions());
        assertEquals(1, bob.server.identityClashes());
        assertEquals(1, alice.server.store().resendQueue().size(), "the reply waits");
        settle(alice, bob);
        assertTrue(!timelineHas(bob, reply), "a unicast went out while the name collided");

        network().nameCollisionResolved(bob.server.peerName());

        awaitTimelineHas(bob, reply);
        await().atMost(WAIT).until(() -> alice.server.store().resendQueue().size() == 0);
        assertEquals(Set.of(), alice.server.identityCollisions());
    }

    @Test
    void aStoreHoldingOversizedEventsFromAnOlderVersionHealsAtStartAndEveryPollAnswers() {
        Node alice = new Node("alice", dir.resolve("alice"));
        SecretKey stranger = SecretKey.generate();
        Event ordinary = Events.sign(alice.key, now() - 10, 1, List.of(), "ordinary");
        try (var older = SqliteEventStore.builder().path(alice.dataDirectory.resolve(NostrP2PServer.DATABASE_FILE))
                .limits(new EventLimits(1 << 30, Integer.MAX_VALUE, 16, 1 << 20, Long.MAX_VALUE / 2)).open()) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                events.add(Events.sign(stranger, now() - 5, 1, List.of(), "y".repeat(1 << 20) + i));
            }
            events.add(Events.sign(stranger, now() - 4, 1, Collections.nCopies(100_000, List.of("t", "x")), "tags"));
            events.add(ordinary);
            older.putAll(events);
        }
        cluster.nodes.add(alice);

        cluster.start(alice);

        assertEquals(List.of(ordinary.withoutSig()), NetworkAttacksTest.pollPromptly(alice));
        assertEquals(1, alice.server.store().count());
    }

    @Test
    void anAnswerToTheClientIsBoundedInBytes() {
        SecretKey author = SecretKey.generate();
        String large = "z".repeat(60_000);
        List<Event> events = IntStream.range(0, 400).mapToObj(i -> Events.sign(author, 1_700_000_000L + i, 1, List.of(), large + i)).toList();

        List<Event> kept = ClientBackend.withinAnswerBytes(events);

        assertTrue(kept.size() < events.size() && !kept.isEmpty());
        assertEquals(events.subList(0, kept.size()), kept);
        assertTrue(kept.stream().mapToLong(EventLimits::sizeOf).sum() <= ClientBackend.MAX_ANSWER_BYTES);
    }

    @Test
    void aBroadcastFromAPeerUnderThisServersOwnNameIsNotStoredNorPassedOn() {
        Node alice = cluster.start("alice");
        byte[] relay = network().broadcastVia(alice.server.peerName(), MALLORY, alice.server.peerName(),
                packetOf(List.of(Events.sign(SecretKey.generate(), now(), 1, List.of(), "x"))));
        assertNull(relay);
        assertEquals(1, alice.server.identityClashes());
    }
}
