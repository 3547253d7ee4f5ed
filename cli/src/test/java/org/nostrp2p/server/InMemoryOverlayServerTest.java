package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.codec.Np2pReq;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.server.Cluster.Node;

/** The scenarios over the in-memory overlay (the application protocol alone), plus what peers may send wrong. */
class InMemoryOverlayServerTest extends ServerScenarios {

    private static final PeerName STRANGER = PeerName.parse("0a:0b:0c:0d:0e:0f");

    @Override
    Cluster newCluster(Path root) {
        return new InMemoryCluster(root);
    }

    private InMemoryNetwork network() {
        return ((InMemoryCluster) cluster).network;
    }

    @Test
    void aForgedEventFromAPeerIsNeitherStoredNorPassedOnButAValidOneIs() {
        Node alice = cluster.start("alice");
        SecretKey stranger = SecretKey.generate();
        Event valid = Events.sign(stranger, now(), 1, List.of(), "genuine");
        byte[] sig = valid.sig();
        sig[0] ^= 0x40;
        Event forged = new Event(valid.id(), valid.pubkey(), valid.createdAt(), 1, List.of(), "genuine", sig);

        byte[] relayOfForged = network().broadcastAndGetRelay(STRANGER, alice.server.peerName(),
                Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(forged))));
        byte[] relayOfValid = network().broadcastAndGetRelay(STRANGER, alice.server.peerName(),
                Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(valid))));

        assertNull(relayOfForged);
        assertNotNull(relayOfValid);
        assertEquals(List.of(valid), Np2pCodec.decodePacket(relayOfValid).events());
        awaitTimelineHas(alice, valid);
        assertEquals(1, alice.server.store().count());
    }

    @Test
    void aBroadcastSeenBeforeIsNotPassedOnAgain() {
        Node alice = cluster.start("alice");
        byte[] packet = Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(Events.sign(SecretKey.generate(), now(), 1, List.of(), "once"))));

        assertNotNull(network().broadcastAndGetRelay(STRANGER, alice.server.peerName(), packet));
        assertNull(network().broadcastAndGetRelay(STRANGER, alice.server.peerName(), packet));
    }

    @Test
    void malformedAndHostilePacketsFromPeersAreDroppedOneByOneAndTheServerKeepsServing() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        Random random = new Random(7);
        byte[] noise = new byte[300];
        random.nextBytes(noise);
        byte[] goodPacket = Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(Events.sign(bob.key, now(), 1, List.of(), "x"))));
        List<byte[]> hostile = List.of(
                noise,
                new byte[0],
                java.util.Arrays.copyOf(goodPacket, goodPacket.length / 2),
                Np2pCodec.encodePacket(new Np2pPacket(1, 2, List.of(Events.sign(bob.key, now(), 1, List.of(), "old version")), null)),
                Np2pCodec.encodePacket(new Np2pPacket(1, 3, null, List.of())),
                Np2pCodec.encodePacket(Np2pPacket.ofRequest(new Np2pReq(1, Np2pReq.KIND_POST, null))),
                Np2pCodec.encodePacket(Np2pPacket.ofRequest(new Np2pReq(2, Np2pReq.KIND_POST, Map.of("evtId", List.of("not an id"))))),
                Np2pCodec.encodePacket(Np2pPacket.ofRequest(new Np2pReq(3, 65535, null))),
                new byte[] {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});

        for (byte[] packet : hostile) {
            assertNull(network().broadcastAndGetRelay(STRANGER, alice.server.peerName(), packet));
            network().injectUnicast(STRANGER, alice.server.peerName(), packet);
        }

        Event after = post(bob, "still listening?");
        awaitTimelineHas(alice, after);
        assertFalse(alice.client.req(TIMELINE).stream().anyMatch(e -> e.content().equals("old version")));
    }

    @Test
    void nothingTheServersSendWouldCrashAGoPeer() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();
        Event bobsPost = post(bob, "hello");
        awaitTimelineHas(alice, bobsPost);
        publish(alice, now(), 1, List.of(List.of("e", bobsPost.idHex(), "", "root"), List.of("p", bob.pubkey())), "reply");
        publish(alice, now(), 7, List.of(List.of("e", bobsPost.idHex()), List.of("p", bob.pubkey())), "+");
        publish(alice, now(), 6, List.of(List.of("e", bobsPost.idHex(), ""), List.of("p", bob.pubkey())), "{}");
        publish(alice, now(), 1, List.of(List.of("e", bobsPost.idHex(), "", "mention"), List.of("p", bob.pubkey()), List.of("q")), "quoted");
        publish(bob, now() - 5 * 86_400, 0, List.of(), "{\"name\":\"bob\"}");
        alice.client.req("{\"kinds\":[0],\"authors\":[\"" + bob.pubkey() + "\"]}");
        alice.client.req("{\"kinds\":[3],\"authors\":[\"" + bob.pubkey() + "\"]}");
        alice.client.req("{\"kinds\":[1],\"ids\":[\"" + "ab".repeat(32) + "\"],\"authors\":[\"" + bob.pubkey() + "\"]}");
        Node carol = cluster.start("carol");
        awaitConnected();

        List<InMemoryNetwork.Sent> sent = network().sent();
        assertTrue(sent.size() > 10, "too little traffic to judge: " + sent.size());
        for (InMemoryNetwork.Sent s : sent) {
            assertTrue(s.packet().length < 10 * 1024 * 1024);
            Np2pPacket packet = Np2pCodec.decodePacket(s.packet());
            assertEquals(3, packet.pktVer());
            assertEquals(1, packet.srvVer());
            boolean hasEvents = packet.events() != null && !packet.events().isEmpty();
            assertTrue(hasEvents || (packet.reqs() != null && packet.reqs().size() == 1), "a packet with neither events nor one request");
            if (hasEvents) {
                assertNull(packet.reqs(), "events and requests in one packet");
                packet.events().forEach(e -> assertTrue(Events.verify(e), "an unsigned or invalid event on the wire"));
            } else {
                Np2pReq req = packet.reqs().get(0);
                if (req.kind() == Np2pReq.KIND_POST) {
                    assertTrue(req.args().get("evtId").get(0) instanceof byte[] id && id.length == 32);
                }
                assertEquals(s.broadcast(), req.kind() == Np2pReq.KIND_RECENT_EVENTS);
            }
        }
    }

    @Test
    void theServerRefusesOtherUsersEventsUnknownKindsAndEmptyPostsWithReasons() {
        Node alice = cluster.start("alice");
        SecretKey stranger = SecretKey.generate();

        RestClient.PublishAnswer notYours = alice.client.publish(Events.sign(stranger, now(), 1, List.of(), "hi"));
        RestClient.PublishAnswer unknownKind = alice.client.publish(Events.sign(alice.key, now(), 30023, List.of(), "article"));
        RestClient.PublishAnswer empty = alice.client.publish(Events.sign(alice.key, now(), 1, List.of(), ""));
        RestClient.PublishAnswer likeOfNobody = alice.client.publish(Events.sign(alice.key, now(), 7, List.of(List.of("e", "ab".repeat(32))), "+"));

        assertEquals(403, notYours.status());
        assertTrue(notYours.reason().contains("only this server's own user"), notYours.reason());
        assertEquals(400, unknownKind.status());
        assertTrue(unknownKind.reason().contains("kind 30023 is not supported"), unknownKind.reason());
        assertEquals(400, empty.status());
        assertEquals("a post needs content", empty.reason());
        assertEquals(400, likeOfNobody.status());
        assertEquals(0, alice.server.store().count());
    }

    @Test
    void aPacketFromAPeerWithThisServersOwnNameIsReportedAsTheSameIdentityRunningTwice() {
        Node alice = cluster.start("alice");
        Event elsewhere = Events.sign(alice.key, now(), 1, List.of(), "published on another server with my key");

        network().broadcastAndGetRelay(alice.server.peerName(), alice.server.peerName(),
                Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(Events.sign(SecretKey.generate(), now(), 1, List.of(), "x")))));
        assertEquals(1, alice.server.identityClashes());
        network().broadcastAndGetRelay(STRANGER, alice.server.peerName(), Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(elsewhere))));

        await().atMost(WAIT).until(() -> alice.server.identityClashes() == 2);
    }

    @Test
    void aRecentEventsAnswerIsSplitIntoPacketsWellUnderMeshsFrameCap() {
        SecretKey author = SecretKey.generate();
        String big = "y".repeat(60_000);
        List<Event> events = java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> Events.sign(author, 1_700_000_000L + i, 1, List.of(), big)).toList();

        List<List<Event>> batches = PacketSender.batches(events);

        assertTrue(batches.size() >= 3, "expected several packets, got " + batches.size());
        assertEquals(events, batches.stream().flatMap(List::stream).toList());
        for (List<Event> batch : batches) {
            assertTrue(Np2pCodec.encodePacket(Np2pPacket.ofEvents(batch)).length <= PacketSender.MAX_PACKET_BYTES);
        }
    }
}
