package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.topology.Topology;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * Beyond mesh, within its wire format: how a peer that refuses a newcomer (at its connection
 * limit, or as a full Java seed) passes it on. Mesh closes such a connection as soon as the
 * handshake is done, so a newcomer whose only contact is a full peer never learns of anyone
 * else; here the newcomer is first handed a few peers with room, as ordinary topology gossip,
 * and the connection is closed {@link LocalPeer#LIMIT_GRACE_MILLIS} later, once its connection
 * maker has started dialling them.
 *
 * <p>Handed, not told everything: a seed that hundreds join at once used to tell each the whole
 * topology, so every newcomer ranked the same few least-connected peers first, filled them
 * together and was passed on again by them; and any stranger could have a full peer send it the
 * whole topology (125 KB at 500 peers) for one handshake. Each newcomer is now handed
 * {@value #HANDED_PEERS} peers with room, drawn at random among those with fewer links than the
 * target degree as this peer knows them, counting the newcomers it handed each in the last
 * {@link #HANDED_WINDOW_NANOS} (at random, not the least connected: every full peer's view of the
 * overlay is seconds old during a join, and the least connected in all of them is the same newest
 * peer); the least loaded of the others make up the number. The message carries this peer's own
 * entry and the handed peers', and, for a handed peer not linked to this one, the entry of a peer
 * linked to it, which carries its address. A Java newcomer ranks the names those entries list
 * without an entry of their own after the handed peers (see {@link ConnectionMaker}); the peers
 * it links to bring it the rest.
 *
 * <p>A Java peer counts connections still in their handshake towards its limit, so a seed a
 * hundred dial at once passes most of them on before it has registered a single link: told
 * then, they learnt of nobody but the seed and dialled it again seconds later (a cold 100-peer
 * star stalled two seconds on it). A newcomer passed on while this peer has no link is told as
 * the first link registers ({@link #linkRegistered}), or after {@link LocalPeer#LIMIT_GRACE_MILLIS}
 * if none does. Confined to the peer's actor.
 */
final class PassOn {

    /** How many peers with room a newcomer passed on is handed. */
    static final int HANDED_PEERS = 3;
    /** How long a newcomer handed to a peer counts against that peer's room. */
    static final long HANDED_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Waiting(Connection connection, String reason) {
    }

    private final ScheduledExecutorService actor;
    /** How this peer's topology messages start (channel, source). */
    private final byte[] gossipHead;
    private final Peers peers;
    /** Fewer links than this (counting those handed): a peer has room; 0 for every peer. */
    private final int targetDegree;
    private final List<Waiting> waiting = new ArrayList<>();
    /** Newcomers handed to each peer since {@link #handedSince}. */
    private final Map<PeerName, Integer> handed = new HashMap<>();
    private long handedSince = System.nanoTime();

    PassOn(ScheduledExecutorService actor, PeerName name, Peers peers, int targetDegree) {
        this.actor = actor;
        this.targetDegree = targetDegree;
        this.gossipHead = WireCodec.gossipHead(TopologyNews.CHANNEL, name);
        this.peers = peers;
    }

    /**
     * Tells {@code connection}'s peer the others, then closes the connection for {@code reason};
     * while this peer has no link ({@code linked} false) the telling waits for one.
     */
    void tellThenClose(Connection connection, String reason, boolean linked) {
        if (linked) {
            tell(connection, reason);
            return;
        }
        Waiting entry = new Waiting(connection, reason);
        waiting.add(entry);
        actor.schedule(() -> {
            if (waiting.remove(entry)) {
                tell(connection, reason);
            }
        }, LocalPeer.LIMIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** This peer registered a link: the newcomers waiting for one are told now. */
    void linkRegistered() {
        if (waiting.isEmpty()) {
            return;
        }
        List<Waiting> due = List.copyOf(waiting);
        waiting.clear();
        for (Waiting entry : due) {
            tell(entry.connection(), entry.reason());
        }
    }

    private void tell(Connection connection, String reason) {
        if (connection.closeReason() != null) {
            return;
        }
        connection.send(ProtocolTag.GOSSIP, handOff(connection.remoteName()));
        actor.schedule(() -> connection.fail(reason), LocalPeer.LIMIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * @return a topology message handing {@code newcomer} {@value #HANDED_PEERS} peers with room,
     *     with the entries that carry their addresses (see the class comment)
     */
    byte[] handOff(PeerName newcomer) {
        long now = System.nanoTime();
        if (now - handedSince > HANDED_WINDOW_NANOS) {
            handed.clear();
            handedSince = now;
        }
        Topology topology = peers.snapshot();
        PeerName self = topology.self();
        // at random among the peers with room (uniformly, by reservoir); the least loaded of the
        // others make up the number when fewer have room
        PeerName[] chosen = new PeerName[HANDED_PEERS];
        int roomy = 0;
        PeerName[] fallback = new PeerName[HANDED_PEERS];
        int[] fallbackLoad = new int[HANDED_PEERS];
        java.util.Arrays.fill(fallbackLoad, Integer.MAX_VALUE);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (Topology.PeerView view : topology.peers().values()) {
            PeerName name = view.summary().name();
            if (name.equals(self) || name.equals(newcomer) || view.summary().uid() == 0
                    || view.connections().containsKey(newcomer) || !peers.reachable(name)) {
                continue;
            }
            int load = view.connections().size() + handed.getOrDefault(name, 0);
            if (targetDegree <= 0 || load < targetDegree) {
                int slot = roomy < HANDED_PEERS ? roomy : random.nextInt(roomy + 1);
                if (slot < HANDED_PEERS) {
                    chosen[slot] = name;
                }
                roomy++;
            } else {
                for (int i = 0; i < HANDED_PEERS; i++) {
                    if (load < fallbackLoad[i]) {
                        System.arraycopy(fallbackLoad, i, fallbackLoad, i + 1, HANDED_PEERS - 1 - i);
                        System.arraycopy(fallback, i, fallback, i + 1, HANDED_PEERS - 1 - i);
                        fallbackLoad[i] = load;
                        fallback[i] = name;
                        break;
                    }
                }
            }
        }
        System.arraycopy(fallback, 0, chosen, Math.min(roomy, HANDED_PEERS), HANDED_PEERS - Math.min(roomy, HANDED_PEERS));
        Set<PeerName> names = new LinkedHashSet<>();
        names.add(self);
        Map<PeerName, ConnectionSummary> ours = topology.peer(self).connections();
        for (PeerName name : chosen) {
            if (name == null) {
                break;
            }
            handed.merge(name, 1, Integer::sum);
            names.add(name);
            if (!ours.containsKey(name)) {
                PeerName referrer = referrer(topology, name);
                if (referrer != null) {
                    names.add(referrer);
                }
            }
        }
        return WireCodec.encodeTopologyGossip(gossipHead, peers.entries(names, new HashMap<>()));
    }

    // A peer whose entry lists a connection to name, so it carries name's address: one that
    // dialled name if any (its summary holds the address name listens on, where a Go peer's
    // summary of an inbound connection holds an ephemeral port), or null.
    private static PeerName referrer(Topology topology, PeerName name) {
        PeerName any = null;
        for (PeerName candidate : topology.peer(name).connections().keySet()) {
            Topology.PeerView view = topology.peer(candidate);
            ConnectionSummary toName = view == null || view.summary().uid() == 0 ? null : view.connections().get(name);
            if (toName != null) {
                if (toName.outbound()) {
                    return candidate;
                }
                any = any == null ? candidate : any;
            }
        }
        return any;
    }
}
