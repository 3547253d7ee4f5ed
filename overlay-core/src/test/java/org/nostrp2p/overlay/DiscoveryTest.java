package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Topology;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerSummary;

/**
 * Whom a router may dial among the peers its topology names, where, and in which order: read
 * from a topology built by hand, without a connection maker or a socket.
 */
class DiscoveryTest {
    private static final PeerName SELF = name(0x50);
    private final Map<PeerName, Topology.PeerView> views = new HashMap<>();
    private final Discovery discovery = new Discovery(() -> 7000);

    private static PeerName name(int low) {
        return new PeerName(0x0c0000000000L + low);
    }

    private static String address(PeerName peer) {
        return "127.0.0.1:" + (10_000 + (peer.value() & 0xff));
    }

    // peer's entry, listing a link to each of linkedTo (dialled by peer: the summary holds where they listen)
    private void entry(PeerName peer, PeerName... linkedTo) {
        Map<PeerName, ConnectionSummary> links = new HashMap<>();
        for (PeerName other : linkedTo) {
            links.put(other, new ConnectionSummary(other, address(other), true, true));
        }
        views.put(peer, new Topology.PeerView(new PeerSummary(peer, "p", peer.value(), 1, 0, true), links));
    }

    // a peer only named by others: a placeholder, UID 0
    private void placeholder(PeerName peer) {
        views.put(peer, new Topology.PeerView(new PeerSummary(peer, "", 0, 0, 0, false), Map.of()));
    }

    private Topology topology() {
        return new Topology(SELF, Map.copyOf(views));
    }

    @Test
    void theLeastConnectedComeFirstAndPeersKnownOnlyByNameLast() {
        PeerName hub = name(0x60);
        PeerName busy = name(0x61);
        PeerName quiet = name(0x62);
        PeerName unknown = name(0x63);
        entry(SELF);
        entry(hub, busy, quiet, unknown);
        entry(busy, hub, name(0x70), name(0x71));
        entry(quiet, hub);
        placeholder(unknown);
        placeholder(name(0x70));
        placeholder(name(0x71));
        Topology topology = topology();

        Map<PeerName, String> candidates = discovery.candidates(topology, SELF, Set.of(), null);
        List<Discovery.Candidate> ranked = Discovery.rank(candidates, topology, SELF, 0);

        assertEquals(quiet, ranked.get(0).name(), "one link: " + ranked);
        assertEquals(address(quiet), ranked.get(0).address(), "where the peer that dialled it reached it");
        assertEquals(Discovery.UNKNOWN_DEGREE, ranked.get(ranked.size() - 1).degree());
        for (int i = 1; i < ranked.size(); i++) {
            assertTrue(ranked.get(i - 1).degree() <= ranked.get(i).degree(), "ranked by degree: " + ranked);
        }
    }

    @Test
    void aPeerWithACoupleOfLinksDialsOnlyPeersNamedAboveItAndNeverOneThatDialledIt() {
        PeerName below = name(0x10);
        PeerName above = name(0x90);
        PeerName dialledUs = name(0x91);
        PeerName linked = name(0x92);
        entry(SELF, linked);
        entry(linked, below, above, dialledUs);
        entry(below, linked);
        entry(above, linked);
        entry(dialledUs, linked, SELF);
        Topology topology = topology();

        Set<PeerName> dialable = Discovery.dialable(topology, SELF, Set.of(linked), 2, 6);
        assertEquals(Set.of(above), dialable, "not itself, its links, a peer that dialled it, nor one below it");
        List<Discovery.Candidate> ranked = Discovery.rank(
                discovery.candidates(topology, SELF, Set.of(linked), dialable), topology, SELF, 2);
        assertEquals(List.of(above), ranked.stream().map(Discovery.Candidate::name).toList());

        // with no link yet, a peer below it will do
        assertTrue(Discovery.dialable(topology, SELF, Set.of(), 0, 6).contains(below));
    }

    @Test
    void oncePastTwoLinksPeersAtTheDegreeOrWithoutAnEntryAreNotDialable() {
        PeerName full = name(0x90);
        PeerName roomy = name(0x91);
        PeerName unknown = name(0x92);
        entry(SELF);
        entry(full, name(0xa0), name(0xa1), unknown);
        entry(roomy, full);
        placeholder(unknown);
        placeholder(name(0xa0));
        placeholder(name(0xa1));
        Topology topology = topology();

        assertEquals(Set.of(roomy), Discovery.dialable(topology, SELF, Set.of(), 2, 3));
        assertTrue(Discovery.dialable(topology, SELF, Set.of(), 1, 3).containsAll(Set.of(full, roomy, unknown)),
                "a peer with almost no links dials anyone");
    }

    @Test
    void anInboundLinksPeerIsGuessedAtOurPortAndAMalformedAddressIsCountedAndSkipped() {
        ConnectionSummary inbound = new ConnectionSummary(name(0x91), "10.1.2.3:54321", false, true);
        assertEquals("10.1.2.3:7000", discovery.address(inbound), "mesh's guess: the remote IP, our port");
        ConnectionSummary hostName = new ConnectionSummary(name(0x92), "evil.example:80", true, true);
        assertNull(discovery.address(hostName), "a host name would make this peer resolve names chosen by others");
        assertNull(discovery.address(hostName), "remembered");
        assertEquals(1, discovery.malformedAddresses.get(), "counted once while remembered");
    }
}
