package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * What a full peer hands a newcomer it passes on ({@link PassOn#handOff}): a few peers with room,
 * at random, with the entries that carry their addresses; not the whole topology.
 */
class PassOnTest {
    private static final int DEGREE = 6;
    private static final PeerName SELF = name(0x100);
    private static final PeerName NEWCOMER = name(0x999);

    private final ScheduledExecutorService actor = Executors.newSingleThreadScheduledExecutor();
    private final Peers peers = new Peers(new PeerSummary(SELF, "self", 1, 3, 1, true));
    private final List<PeerName> hubs = new ArrayList<>();
    private final List<PeerName> leaves = new ArrayList<>();

    @AfterEach
    void stopActor() {
        actor.shutdownNow();
    }

    private static PeerName name(long n) {
        return new PeerName(0x0c0000000000L + n);
    }

    private static ConnectionSummary link(PeerName to) {
        return new ConnectionSummary(to, "127.0.0.1:" + (20_000 + (to.value() & 0xfff)), true, true);
    }

    // This peer linked to three hubs, each at the target degree: linked to this peer and to five
    // leaves of its own, each leaf with one link (room for five more).
    private void hubsAndLeaves() {
        Map<PeerName, ConnectionSummary> own = new HashMap<>();
        List<PeerUpdate> updates = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            PeerName hub = name(0x200 + h);
            hubs.add(hub);
            own.put(hub, link(hub));
            List<ConnectionSummary> hubLinks = new ArrayList<>(List.of(link(SELF)));
            for (int l = 1; l <= DEGREE - 1; l++) {
                PeerName leaf = name(0x300 + 16 * h + l);
                leaves.add(leaf);
                hubLinks.add(link(leaf));
                updates.add(new PeerUpdate(new PeerSummary(leaf, "leaf", leaf.value(), 2, 0, false), List.of(link(hub))));
            }
            updates.add(new PeerUpdate(new PeerSummary(hub, "hub", hub.value(), 7, 0, false), hubLinks));
        }
        peers.setOwnConnections(own);
        peers.applyUpdate(updates);
        assertEquals(1 + hubs.size() + leaves.size(), peers.reachableCount());
    }

    private static List<PeerUpdate> decode(byte[] gossip) {
        GossipFrame frame = WireCodec.decodeGossip(gossip);
        assertEquals(TopologyNews.CHANNEL, frame.channel());
        assertEquals(SELF, frame.source());
        return WireCodec.decodeTopology(frame.data());
    }

    @Test
    void aNewcomerIsHandedThreePeersWithRoomAndTheEntriesThatCarryTheirAddressesNotTheWholeTopology() {
        hubsAndLeaves();
        PassOn passOn = new PassOn(actor, SELF, peers, DEGREE);

        List<PeerUpdate> told = decode(passOn.handOff(NEWCOMER));

        Set<PeerName> names = told.stream().map(u -> u.peer().name()).collect(Collectors.toSet());
        assertEquals(SELF, told.get(0).peer().name(), "this peer's own entry comes first");
        List<PeerName> handed = names.stream().filter(leaves::contains).toList();
        assertEquals(PassOn.HANDED_PEERS, handed.size(), "three leaves, the peers with room: " + names);
        assertTrue(names.size() <= 1 + 2 * PassOn.HANDED_PEERS && names.size() < 1 + hubs.size() + leaves.size(),
                "a few entries, not all " + (1 + hubs.size() + leaves.size()) + ": " + names);
        for (PeerName leaf : handed) {
            assertTrue(told.stream().anyMatch(u -> u.peer().name() != leaf
                            && u.connections().stream().anyMatch(c -> c.name().equals(leaf))),
                    "an entry in the message carries the address of " + leaf);
        }
    }

    @Test
    void peersHandedOnCountAgainstTheirRoomSoNoneIsHandedMoreNewcomersThanItHasRoomFor() {
        hubsAndLeaves();
        PassOn passOn = new PassOn(actor, SELF, peers, DEGREE);
        Map<PeerName, Integer> times = new HashMap<>();

        // 15 leaves with room for 5 each: the first 20 hand-offs (60 places) find three leaves
        // with room every time, whatever the draw
        for (int i = 0; i < 20; i++) {
            for (PeerUpdate u : decode(passOn.handOff(name(0x1000 + i)))) {
                PeerName n = u.peer().name();
                assertFalse(n.equals(name(0x1000 + i)), "a newcomer is not handed to itself");
                if (leaves.contains(n)) {
                    times.merge(n, 1, Integer::sum);
                }
            }
        }

        assertEquals(60, times.values().stream().mapToInt(Integer::intValue).sum(), "three leaves each time: " + times);
        assertTrue(times.values().stream().allMatch(t -> t <= DEGREE - 1), "no leaf handed beyond its room: " + times);
    }

    @Test
    void addressesHandedInTheHandshakeCountAgainstEachPeersRoomToo() throws Exception {
        hubsAndLeaves();
        PassOn passOn = new PassOn(actor, SELF, peers, DEGREE);
        assertTrue(passOn.addresses().isEmpty(), "nothing listed yet: the list is made on the actor");
        actor.submit(() -> { }).get();
        Map<String, Integer> times = new HashMap<>();

        // 15 leaves with room for 5 each: 25 dialers take the 75 places, three different leaves
        // each, and none is handed a sixth newcomer (it used to be drawn at random every time)
        for (int i = 0; i < 25; i++) {
            List<String> handed = passOn.addresses();
            assertEquals(FeatureExchange.HAND_OFF_MAX, Set.copyOf(handed).size(), "three different peers: " + handed);
            handed.forEach(a -> times.merge(a, 1, Integer::sum));
            actor.submit(() -> { }).get(); // a list used up or old is made again in between
        }

        Set<String> leafAddresses = leaves.stream().map(l -> link(l).remoteTcpAddr()).collect(Collectors.toSet());
        assertEquals(leafAddresses, times.keySet(), "every leaf, and only leaves: " + times);
        assertTrue(times.values().stream().allMatch(t -> t == DEGREE - 1), "each leaf exactly up to its room: " + times);
        // from then on the leaves are at the degree, and still below twice it: handed as before
        assertEquals(FeatureExchange.HAND_OFF_MAX, passOn.addresses().size());
    }

    @Test
    void aPeerAlreadyLinkedToTheNewcomerIsNotHandedToIt() {
        hubsAndLeaves();
        PeerName leaf = leaves.get(0);
        PeerName hub = hubs.get(0);
        peers.applyUpdate(List.of(
                new PeerUpdate(new PeerSummary(leaf, "leaf", leaf.value(), 3, 0, false), List.of(link(hub), link(NEWCOMER))),
                new PeerUpdate(new PeerSummary(NEWCOMER, "newcomer", NEWCOMER.value(), 1, 0, false), List.of(link(leaf)))));
        PassOn passOn = new PassOn(actor, SELF, peers, DEGREE);

        for (int i = 0; i < 30; i++) {
            Set<PeerName> told = decode(passOn.handOff(NEWCOMER)).stream().map(u -> u.peer().name()).collect(Collectors.toSet());
            assertFalse(told.contains(NEWCOMER), "a newcomer is not handed to itself: " + told);
            assertFalse(told.contains(leaf), "nor to a peer it has a link to: " + told);
        }
    }
}
