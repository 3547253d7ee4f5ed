package org.nostrp2p.overlay;

import java.util.LinkedHashSet;
import java.util.Set;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;

/**
 * What this peer records of one neighbour for topology news (see {@link TopologyNews}): the
 * (UID, version) of every peer the neighbour is known to have, because it sent it to us or we
 * sent it to it; the names of peers with news for it; and whether news goes to it as entries
 * (eager) or is announced (lazy, see {@link LazyPush}). Confined to the router's actor.
 */
final class TopologyLink {
    final Connection connection;
    final VersionTable known;
    final Set<PeerName> pending = new LinkedHashSet<>();
    /** Whether news goes to it as entries; once pruned, as haves (a Java neighbour only). */
    boolean eager = true;
    /** This peer sent it a hello when the link opened (see {@link TopologyNews#linkAdded}). */
    boolean helloSent;

    TopologyLink(Connection connection, PeerSlots slots, int peersKnown) {
        this.connection = connection;
        // the neighbour will be recorded with about every peer known: sized once for them,
        // not doubled from 16 (the doubling was 3% of a 500-router join's allocation)
        // no more names than a router keeps peers: a neighbour's haves of invented names stop there
        this.known = new VersionTable(slots, peersKnown, Peers.MAX_PEERS);
    }

    /**
     * Records that the neighbour has {@code name} at this (UID, version), or a later one of the
     * same incarnation.
     *
     * <p>A neighbour collects the peers it can no longer reach (mesh at once, a Java router 100 ms
     * after a change), so what it has can fall below what this peer recorded; an entry it sends
     * under another UID shows that it did: it dropped the incarnation recorded and learnt another
     * one, which, at the same version, may rank below the recorded one. That entry replaces the
     * record, so that a correction sends the one that ranks higher (and a restarted peer, told its
     * old entry, moves its version beyond it). Of one incarnation the record keeps the highest
     * version: a lower one sent is mostly news crossing ours on the way, not a loss.
     */
    void remember(PeerName name, long uid, long version) {
        int at = known.find(name);
        if (at < 0 || known.uid(at) != uid || Peers.newer(uid, version, known.uid(at), known.version(at))) {
            known.put(name, uid, version);
        }
    }

    /** @return whether the record lacks {@code name} at this (UID, version) or newer */
    boolean lacks(PeerName name, long uid, long version) {
        int at = known.find(name);
        return at < 0 || Peers.newer(uid, version, known.uid(at), known.version(at));
    }
}
