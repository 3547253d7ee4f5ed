package org.nostrp2p.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.TopologyEntry;
import org.nostrp2p.overlay.wire.WireCodec;

/** Applying topology updates as mesh's peers.go does. */
class PeersTest {
    private static final PeerName SELF = PeerName.parse("00:00:00:00:00:01");
    private static final PeerName A = PeerName.parse("00:00:00:00:00:0a");
    private static final PeerName B = PeerName.parse("00:00:00:00:00:0b");

    private final Peers peers = new Peers(new PeerSummary(SELF, "self", 111, 0, 5, true));

    private static PeerUpdate update(PeerName name, long uid, long version, PeerName... connectedTo) {
        List<ConnectionSummary> connections = java.util.Arrays.stream(connectedTo)
                .map(n -> new ConnectionSummary(n, "10.0.0.1:6783", true, true)).toList();
        return new PeerUpdate(new PeerSummary(name, name.toString(), uid, version, 1, true), connections);
    }

    private void connectSelfTo(PeerName name) {
        peers.fetchWithDefault(new PeerSummary(name, "", 0, 0, 0, false));
        peers.setOwnConnections(Map.of(name, new ConnectionSummary(name, "10.0.0.2:6783", true, true)));
    }

    // Snapshots renumber by merging the peers learnt since into the names that stay: through
    // peers learnt, collected and learnt again (new objects under old names), every snapshot
    // holds exactly the stored peers, in name order, each under its own name.
    @Test
    void everySnapshotHoldsTheStoredPeersInNameOrderAsPeersComeGoAndComeBack() {
        java.util.Random random = new java.util.Random(42);
        connectSelfTo(A);
        PeerName[] pool = new PeerName[40];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = PeerName.of(0x100 + 7L * i);
        }
        long version = 1;
        for (int step = 0; step < 300; step++) {
            // A links to a random handful of the pool (placeholders), some of which link on
            List<PeerName> linked = new ArrayList<>();
            for (PeerName name : pool) {
                if (random.nextInt(4) == 0) {
                    linked.add(name);
                }
            }
            List<PeerUpdate> updates = new ArrayList<>();
            List<PeerName> fromA = new ArrayList<>(linked);
            fromA.add(SELF);
            updates.add(update(A, 7, version++, fromA.toArray(new PeerName[0])));
            if (!linked.isEmpty() && random.nextBoolean()) {
                PeerName first = linked.get(0);
                updates.add(update(first, 9, version, pool[random.nextInt(pool.length)]));
            }
            peers.applyUpdate(updates, random.nextInt(3) > 0);
            if (random.nextInt(5) == 0) {
                peers.snapshot(); // numbered between changes too, not only after each
            }
            Topology snapshot = peers.snapshot();
            List<PeerName> expected = new ArrayList<>(peers.names());
            expected.sort(null);
            assertEquals(expected, new ArrayList<>(snapshot.peers().keySet()), "step " + step);
            for (PeerName name : expected) {
                assertEquals(name, snapshot.peer(name).summary().name(), "step " + step);
            }
            assertNull(snapshot.peer(PeerName.of(0x99999)));
            assertEquals(expected.size(), snapshot.peers().size());
        }
    }

    @Test
    void peersNamedOnlyInConnectionListsBecomePlaceholders() {
        connectSelfTo(A);
        peers.applyUpdate(List.of(update(A, 7, 3, SELF, B)));
        assertNotNull(peers.fetch(B));
        assertEquals(0, peers.fetch(B).uid());
    }

    @Test
    void anEntryThatIsNotAppliedNamesNoPlaceholders() {
        PeerName c = PeerName.parse("00:00:00:00:00:0c");
        connectSelfTo(A);
        peers.applyUpdate(List.of(update(A, 7, 3, SELF)));
        int known = peers.size();

        // an older entry of A, linking it to B and C: not applied, so B and C stay unknown
        Peers.Applied stale = peers.applyUpdate(List.of(update(A, 7, 2, SELF, B, c)), false);
        assertTrue(stale.newUpdate().isEmpty());
        assertNull(peers.fetch(B));
        assertNull(peers.fetch(c));
        assertEquals(known, peers.size());

        // the same links in a newer entry are stored, and their ends become placeholders
        peers.applyUpdate(List.of(update(A, 7, 4, SELF, B, c)), false);
        assertEquals(0, peers.fetch(B).uid());
        assertEquals(0, peers.fetch(c).uid());
    }

    // Decoding with the links of known entries skipped (what a router does) leaves Peers exactly
    // as decoding whole does: 3,000 random messages of current, stale, duplicate and own entries,
    // including other incarnations of this peer and of others, applied to two Peers side by side.
    @Test
    void entriesReadWithoutTheLinksOfThoseItHasApplyExactlyAsEntriesReadWhole() {
        java.util.Random random = new java.util.Random(11);
        Peers skipping = new Peers(new PeerSummary(SELF, "self", 111, 0, 5, true));
        PeerName[] names = new PeerName[30];
        long[] versions = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = new PeerName(0x0b0000000000L + i);
        }
        for (Peers p : List.of(peers, skipping)) {
            p.fetchWithDefault(new PeerSummary(names[0], "", 0, 0, 0, false));
            p.setOwnConnections(Map.of(names[0], new ConnectionSummary(names[0], "10.0.0.2:6783", true, true)));
        }
        int skipped = 0;
        for (int step = 0; step < 3_000; step++) {
            List<PeerUpdate> message = new ArrayList<>();
            for (int k = 1 + random.nextInt(6); k > 0; k--) {
                int i = random.nextInt(names.length);
                PeerName peer = random.nextInt(20) == 0 ? SELF : names[i];
                long version = switch (random.nextInt(4)) {
                    case 0 -> Math.max(0, versions[i] - random.nextInt(3)); // stale or the same
                    default -> versions[i] += 1 + random.nextInt(2);
                };
                long uid = random.nextInt(10) == 0 ? 8 : 7; // now and then another incarnation
                List<PeerName> links = new ArrayList<>(List.of(i == 0 ? SELF : names[i - 1]));
                for (int l = random.nextInt(4); l > 0; l--) {
                    links.add(names[random.nextInt(names.length)]);
                }
                links.remove(peer);
                message.add(update(peer, uid, version, links.stream().distinct().toArray(PeerName[]::new)));
            }
            byte[] stream = WireCodec.encodeTopology(message);

            boolean collect = random.nextBoolean();
            Peers.Applied whole = peers.applyUpdate(WireCodec.decodeTopology(stream), collect);
            List<PeerUpdate> partly = WireCodec.decodeTopology(stream, 0, stream.length, skipping::has);
            skipped += (int) partly.stream().filter(u -> !u.connectionsRead()).count();
            assertTrue(partly.stream().filter(u -> u.peer().name().equals(SELF)).allMatch(PeerUpdate::connectionsRead),
                    "step " + step + ": an entry naming this peer is read whole");
            Peers.Applied read = skipping.applyUpdate(partly, collect);

            assertEquals(whole.newUpdate(), read.newUpdate(), "step " + step);
            assertEquals(whole.localPeerModified(), read.localPeerModified(), "step " + step);
            assertEquals(whole.otherSelfUids(), read.otherSelfUids(), "step " + step);
            assertEquals(whole.removed().stream().map(Peer::name).toList(), read.removed().stream().map(Peer::name).toList());
            assertEquals(peers.snapshot().updates(peers.names()), skipping.snapshot().updates(skipping.names()),
                    "step " + step);
        }
        assertTrue(skipped > 1_000, skipped + " entries skipped");
    }

    @Test
    void aHigherVersionReplacesAndALowerOneIsIgnored() {
        connectSelfTo(A);
        peers.applyUpdate(List.of(update(A, 7, 3, SELF)));
        Peers.Applied older = peers.applyUpdate(List.of(update(A, 7, 2, SELF, B)));
        assertTrue(older.newUpdate().isEmpty());
        assertEquals(Set.of(A), older.updateNames());
        Peers.Applied newer = peers.applyUpdate(List.of(update(A, 7, 4, SELF, B)));
        assertEquals(Set.of(A), newer.newUpdate());
        assertEquals(4, peers.fetch(A).version());
    }

    @Test
    void anEqualVersionWithAHigherUidReplaces() {
        connectSelfTo(A);
        peers.applyUpdate(List.of(update(A, 7, 3, SELF)));
        assertTrue(peers.applyUpdate(List.of(update(A, 6, 3, SELF))).newUpdate().isEmpty());
        assertEquals(Set.of(A), peers.applyUpdate(List.of(update(A, 8, 3, SELF))).newUpdate());
        assertEquals(8, peers.fetch(A).uid());
    }

    @Test
    void seeingItselfWithAnotherUidMovesItsVersionBeyondTheReceivedOne() {
        connectSelfTo(A);
        Peers.Applied applied = peers.applyUpdate(List.of(update(SELF, 99, 41)));
        assertTrue(applied.localPeerModified());
        assertEquals(Set.of(99L), applied.otherSelfUids());
        assertEquals(42, peers.ourself().version());
        assertEquals(111, peers.ourself().uid());
    }

    @Test
    void unreachablePeersWithoutLocalConnectionsAreCollected() {
        connectSelfTo(A);
        peers.applyUpdate(List.of(update(A, 7, 3, SELF, B), update(B, 9, 1, A)));
        assertNotNull(peers.fetch(B));
        Peers.Applied applied = peers.applyUpdate(List.of(update(A, 7, 4, SELF)));
        assertEquals(List.of(B), applied.removed().stream().map(Peer::name).toList());
        assertNull(peers.fetch(B));
        assertFalse(applied.newUpdate().contains(B));
    }

    @Test
    void eachSnapshotHoldsExactlyTheKnownPeersAsTheyAreThenThroughAdditionsChangesAndCollection() {
        Topology empty = peers.snapshot();
        assertEquals(Set.of(SELF), empty.peers().keySet());
        connectSelfTo(A);
        peers.applyUpdate(List.of(update(A, 7, 3, SELF, B), update(B, 9, 1, A)));
        Topology three = peers.snapshot();
        peers.applyUpdate(List.of(update(A, 7, 4, SELF, B), update(B, 9, 2, A)));
        Topology changed = peers.snapshot();
        peers.applyUpdate(List.of(update(A, 7, 5, SELF)));
        Topology collected = peers.snapshot();

        assertEquals(Set.of(SELF), empty.peers().keySet(), "an earlier snapshot is not changed by later ones");
        assertEquals(Set.of(SELF, A, B), three.peers().keySet());
        assertEquals(3, three.peer(A).summary().version());
        assertEquals(4, changed.peer(A).summary().version());
        assertEquals(2, changed.peer(B).summary().version());
        assertEquals(Set.of(SELF, A), collected.peers().keySet());
        assertNull(collected.peer(B));
        assertEquals(5, collected.peer(A).summary().version());
        for (Topology snapshot : List.of(empty, three, changed, collected)) {
            assertEquals(new java.util.HashMap<>(snapshot.peers()), snapshot.peers(), "a map like any other");
            assertEquals(snapshot.peers().size(), snapshot.peers().values().size());
        }
        assertEquals(Routes.of(new Topology(SELF, new java.util.HashMap<>(collected.peers()))).unicastAllTable(),
                peers.routes(() -> { }).unicastAllTable());
    }

    @Test
    void withNoPeerChangedTheSnapshotAndRoutesAreTheSameObjectsAndAnyChangeMakesNewOnes() {
        connectSelfTo(A);
        peers.applyUpdate(List.of(update(A, 7, 3, SELF, B), update(B, 9, 1, A)));
        int[] computed = new int[1];
        Topology before = peers.snapshot();
        Routes routes = peers.routes(() -> computed[0]++);
        routes.unicastAllTable();

        assertSame(before, peers.snapshot());
        assertSame(routes, peers.routes(() -> computed[0]++));
        // a collection that finds nothing to collect walks nothing (reachability is kept as updates come)
        assertEquals(List.of(), peers.garbageCollect());
        assertEquals(1, computed[0]);

        peers.applyUpdate(List.of(update(B, 9, 2, A)));
        Topology changed = peers.snapshot();
        assertNotSame(before, changed);
        assertEquals(2, changed.peer(B).summary().version());
        assertNotSame(routes, peers.routes(() -> computed[0]++));
        peers.applyUpdate(List.of(update(A, 7, 4, SELF)), false);
        assertEquals(List.of(B), peers.garbageCollect().stream().map(Peer::name).toList());
        assertEquals(Set.of(SELF, A), peers.snapshot().peers().keySet());
        assertEquals(Set.of(SELF, A), peers.routes(() -> { }).unicastAllTable().keySet());
    }

    @Test
    void reachabilityKeptAsUpdatesComeIsWhatAWalkFindsThroughAdditionsRemovalsAndCollections() {
        keepReachabilityThroughRandomUpdates(false);
    }

    @Test
    void reachabilityKeptWhereBothEndsListEachLinkWalksForFewOfTheRemovals() {
        int[] removalsAndWalks = keepReachabilityThroughRandomUpdates(true);
        // most links gone leave another as short a way to their far end, so no walk is needed
        assertTrue(removalsAndWalks[1] * 3 < removalsAndWalks[0],
                removalsAndWalks[1] + " walks for " + removalsAndWalks[0] + " links gone");
    }

    // 3,000 random updates (links added, links gone, this peer's own links, collections), each
    // followed by a check of what Peers keeps against a walk of its snapshot: which peers are
    // reachable, and each one's distance in links. With bothEnds, a link is added to (or taken
    // from) the entries of both its ends, as in an overlay; otherwise to one. @return the links
    // taken away and the walks Peers made
    private int[] keepReachabilityThroughRandomUpdates(boolean bothEnds) {
        java.util.Random random = new java.util.Random(7);
        PeerName[] names = new PeerName[40];
        Map<PeerName, Set<PeerName>> links = new java.util.HashMap<>();
        Map<PeerName, Long> versions = new java.util.HashMap<>();
        for (int i = 0; i < names.length; i++) {
            names[i] = new PeerName(0x0a0000000000L + i);
            links.put(names[i], new java.util.HashSet<>());
        }
        connectSelfTo(names[0]);
        links.get(names[0]).add(SELF);
        boolean ownSecondLink = false;
        int removals = 0;
        int walksBefore = peers.reachabilityWalks();
        for (int step = 0; step < 3_000; step++) {
            PeerName peer = names[random.nextInt(names.length)];
            PeerName other = null;
            int kind = random.nextInt(10);
            if (kind < 6) { // mostly a link added, as while an overlay forms
                other = random.nextInt(8) == 0 && !bothEnds ? SELF : names[random.nextInt(names.length)];
                if (!other.equals(peer)) {
                    links.get(peer).add(other);
                    if (bothEnds) {
                        links.get(other).add(peer);
                    }
                }
            } else if (kind < 9 && !links.get(peer).isEmpty()) { // a link gone
                other = links.get(peer).iterator().next();
                if (!(bothEnds && other.equals(SELF))) { // both ends: this peer's own link stays
                    removals++;
                    links.get(peer).remove(other);
                    if (bothEnds) {
                        links.get(other).remove(peer);
                    }
                }
            } else if (kind == 9) { // this peer's own second link comes or goes
                PeerName second = names[1];
                if (ownSecondLink) {
                    peers.dereference(second);
                    peers.setOwnConnections(Map.of(names[0], new ConnectionSummary(names[0], "10.0.0.2:6783", true, true)));
                } else {
                    peers.fetchWithDefault(new PeerSummary(second, "", 0, 0, 0, false));
                    peers.setOwnConnections(Map.of(names[0], new ConnectionSummary(names[0], "10.0.0.2:6783", true, true),
                            second, new ConnectionSummary(second, "10.0.0.3:6783", true, true)));
                }
                ownSecondLink = !ownSecondLink;
            }
            List<PeerUpdate> updates = new ArrayList<>();
            for (PeerName changed : other == null || !bothEnds || other.equals(SELF) ? List.of(peer) : List.of(peer, other)) {
                long version = versions.merge(changed, 1L, Long::sum);
                updates.add(update(changed, 7, version, links.get(changed).toArray(new PeerName[0])));
            }
            peers.applyUpdate(updates, random.nextInt(5) == 0);

            Map<PeerName, Integer> distances = walk(peers.snapshot());
            assertEquals(distances.size(), peers.reachableCount(), "step " + step);
            for (PeerName name : peers.snapshot().peers().keySet()) {
                assertEquals(distances.containsKey(name), peers.reachable(name), "step " + step + ": " + name);
                if (distances.containsKey(name)) {
                    assertEquals(distances.get(name), peers.fetch(name).depth, "step " + step + ": distance to " + name);
                }
            }
        }
        return new int[] {removals, peers.reachabilityWalks() - walksBefore};
    }

    // Breadth first from this peer over the links each entry of the snapshot lists.
    private static Map<PeerName, Integer> walk(Topology topology) {
        Map<PeerName, Integer> distances = new java.util.HashMap<>(Map.of(SELF, 0));
        java.util.ArrayDeque<PeerName> queue = new java.util.ArrayDeque<>(List.of(SELF));
        while (!queue.isEmpty()) {
            PeerName at = queue.poll();
            Topology.PeerView view = topology.peer(at);
            if (view == null) {
                continue;
            }
            for (PeerName next : view.connections().keySet()) {
                if (topology.peer(next) != null && distances.putIfAbsent(next, distances.get(at) + 1) == null) {
                    queue.add(next);
                }
            }
        }
        return distances;
    }

    @Test
    void theEntriesDescribeTheKnownPeersWithTheirConnections() {
        connectSelfTo(A);
        List<PeerUpdate> encoded = WireCodec.decodeTopology(TopologyEntry.stream(
                peers.entries(List.of(SELF, PeerName.parse("00:00:00:00:00:99")), new java.util.HashMap<>())));
        assertEquals(1, encoded.size());
        assertEquals(SELF, encoded.get(0).peer().name());
        assertEquals(A, encoded.get(0).connections().get(0).name());
    }

    @Test
    void anEntryIsEncodedOncePerCallersCacheAndDescribesThePeerAsItIsNow() {
        connectSelfTo(A);
        peers.applyUpdate(List.of(update(A, 7, 3, SELF)));
        java.util.Map<PeerName, TopologyEntry> flush = new java.util.HashMap<>();
        TopologyEntry first = peers.entries(List.of(A), flush).get(0);
        assertSame(first, peers.entries(List.of(A, SELF), flush).get(0), "one flush encodes an entry once");

        peers.applyUpdate(List.of(update(A, 7, 4, SELF, B)));

        PeerUpdate now = decode(peers.entries(List.of(A), new java.util.HashMap<>()));
        assertEquals(4, now.peer().version());
        assertEquals(Set.of(SELF, B), Set.copyOf(now.connections().stream().map(ConnectionSummary::name).toList()));
        PeerUpdate own = decode(peers.entries(List.of(SELF), new java.util.HashMap<>()));
        connectSelfTo(B);
        PeerUpdate ownAfter = decode(peers.entries(List.of(SELF), new java.util.HashMap<>()));
        assertEquals(own.peer().version() + 1, ownAfter.peer().version(), "this peer's own new links are a new entry too");
    }

    private static PeerUpdate decode(List<TopologyEntry> entries) {
        return WireCodec.decodeTopology(TopologyEntry.stream(entries)).get(0);
    }

    @Test
    void anUpdateInventingMorePeersThanTheLimitIsRefusedAndChangesNothing() {
        connectSelfTo(A);
        PeerName[] many = new PeerName[Peers.MAX_PEERS];
        for (int i = 0; i < many.length; i++) {
            many[i] = new PeerName(0x100000L + i);
        }
        org.junit.jupiter.api.Assertions.assertThrows(org.nostrp2p.overlay.wire.ProtocolException.class,
                () -> peers.applyUpdate(List.of(update(A, 7, 3, many))));
        assertEquals(2, peers.size());
    }
}
