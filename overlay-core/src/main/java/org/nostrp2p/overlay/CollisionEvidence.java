package org.nostrp2p.overlay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peer;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;

/**
 * Beyond mesh: tells a live twin (two running peers with one name) from a restart, by what the
 * topology says over time. Two live peers with one name keep replacing each other's entry,
 * each bumping its version past the other's; a restart's old UID never changes again. So a UID
 * that was replaced and then comes back with a higher version is a live twin, and so is a UID
 * seen under this peer's own name whose version goes on rising. Each such sighting is reported
 * to {@link MembershipEvents#collision}. The records are bounded ({@link #MAX_RECORDS} of each
 * kind); past that, new names are not recorded. Confined to the router's actor.
 */
final class CollisionEvidence {
    /** The most names (and the most other UIDs of this peer's own name) remembered. */
    static final int MAX_RECORDS = 4_096;

    private final PeerName self;
    private final long uid;
    private final Peers peers;
    private final MembershipEvents membership;
    // for each name whose entry was replaced under another UID, the UID and version replaced
    private final Map<PeerName, long[]> superseded = new HashMap<>();
    // for this peer's own name, the highest version seen under each other UID
    private final Map<Long, Long> otherSelfVersions = new HashMap<>();

    CollisionEvidence(PeerName self, long uid, Peers peers, MembershipEvents membership) {
        this.self = self;
        this.uid = uid;
        this.peers = peers;
        this.membership = membership;
    }

    /** Looks at a topology message before it is applied (the stored entries are those it would replace). */
    void note(List<PeerUpdate> updates) {
        for (PeerUpdate update : updates) {
            PeerSummary s = update.peer();
            if (s.uid() == 0) {
                continue;
            }
            if (s.name().equals(self)) {
                noteOwnName(s);
                continue;
            }
            Peer stored = peers.fetch(s.name());
            if (stored == null || stored.uid() == 0 || stored.uid() == s.uid()) {
                continue;
            }
            long[] replaced = superseded.get(s.name());
            if (replaced != null && replaced[0] == s.uid() && Long.compareUnsigned(s.version(), replaced[1]) > 0) {
                membership.collision(s.name(), stored.uid(), s.uid());
            }
            if (Peers.newer(s.uid(), s.version(), stored.uid(), stored.version()) && (replaced != null || superseded.size() < MAX_RECORDS)) {
                superseded.put(s.name(), new long[] {stored.uid(), stored.version()});
            }
        }
    }

    // An entry under this peer's name with another UID: a twin once its version rises.
    private void noteOwnName(PeerSummary s) {
        if (s.uid() == uid) {
            return;
        }
        Long seen = otherSelfVersions.get(s.uid());
        if (seen != null && Long.compareUnsigned(s.version(), seen) > 0) {
            membership.collision(self, uid, s.uid());
        }
        if (seen == null && otherSelfVersions.size() >= MAX_RECORDS) {
            return;
        }
        otherSelfVersions.merge(s.uid(), s.version(), (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }
}
