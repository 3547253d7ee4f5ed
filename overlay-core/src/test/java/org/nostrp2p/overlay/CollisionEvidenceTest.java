package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;

/**
 * A restart against a live twin, told apart by the topology messages a peer reads over time,
 * each looked at before it is applied, as the router does.
 */
class CollisionEvidenceTest {
    private static final PeerName SELF = new PeerName(0x0d0000000001L);
    private static final PeerName OTHER = new PeerName(0x0d0000000002L);
    private static final long OUR_UID = 111;

    private final Peers peers = new Peers(new PeerSummary(SELF, "self", OUR_UID, 0, 1, true));
    private final MembershipEvents membership = new MembershipEvents(SELF);
    private final CollisionEvidence evidence = new CollisionEvidence(SELF, OUR_UID, peers, membership);

    @AfterEach
    void stop() {
        membership.stop();
    }

    private void read(PeerName name, long uid, long version) {
        List<PeerUpdate> message = List.of(new PeerUpdate(new PeerSummary(name, "n", uid, version, 2, true), List.of()));
        evidence.note(message);
        peers.applyUpdate(message, false);
    }

    @Test
    void aPeerRestartedUnderItsNameReplacesItsOldUidOnceAndIsNoCollision() {
        read(OTHER, 1, 5);
        read(OTHER, 2, 6); // restarted: a new UID, the old one never changes again
        read(OTHER, 2, 7);
        read(OTHER, 1, 5); // a stale copy of the old incarnation, from a slow neighbour
        assertEquals(Set.of(), membership.colliding());
    }

    @Test
    void aReplacedUidThatComesBackNewerIsALiveTwin() {
        read(OTHER, 1, 5);
        read(OTHER, 2, 6);
        read(OTHER, 1, 7); // the old UID moved on: it is running too
        assertEquals(Set.of(OTHER), membership.colliding());
    }

    @Test
    void anotherUidOfThisPeersOwnNameWhoseVersionRisesIsATwinOfThisPeer() {
        read(SELF, 222, 3); // could be this peer's own previous incarnation
        assertEquals(Set.of(), membership.colliding());
        read(SELF, 222, 4); // it is not: it still runs
        assertTrue(membership.colliding().contains(SELF));
    }
}
