package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * Beyond mesh, within its wire format: how a peer that refuses a newcomer (at its connection
 * limit, or as a full Java seed) passes it on. Mesh closes such a connection as soon as the
 * handshake is done, so a newcomer whose only contact is a full peer never learns of anyone
 * else; here the newcomer is first told the whole topology as ordinary topology gossip, and the
 * connection is closed {@link LocalPeer#LIMIT_GRACE_MILLIS} later, once its connection maker
 * has started dialling the peers it learnt of.
 *
 * <p>A Java peer counts connections still in their handshake towards its limit, so a seed a
 * hundred dial at once passes most of them on before it has registered a single link: told
 * then, they learnt of nobody but the seed and dialled it again seconds later (a cold 100-peer
 * star stalled two seconds on it). A newcomer passed on while this peer has no link is told as
 * the first link registers ({@link #linkRegistered}), or after {@link LocalPeer#LIMIT_GRACE_MILLIS}
 * if none does. Confined to the peer's actor.
 */
final class PassOn {

    /** How long the whole-topology message told to newcomers is reused. */
    static final long WHOLE_TOPOLOGY_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private record Waiting(Connection connection, String reason) {
    }

    private final ScheduledExecutorService actor;
    /** How this peer's topology messages start (channel, source). */
    private final byte[] gossipHead;
    private final Peers peers;
    private final List<Waiting> waiting = new ArrayList<>();
    private byte[] wholeTopology;
    private long wholeTopologyNanos;
    private long wholeTopologyOwnVersion;

    PassOn(ScheduledExecutorService actor, PeerName name, Peers peers) {
        this.actor = actor;
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
        connection.send(ProtocolTag.GOSSIP, wholeTopologyFrame());
        actor.schedule(() -> connection.fail(reason), LocalPeer.LIMIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    // A seed that hundreds of peers join at once refuses most of them, each told the whole
    // topology: encoded once per WHOLE_TOPOLOGY_MAX_AGE_NANOS, not once per newcomer (a newcomer
    // needs addresses to dial; the peers it links to bring it the news since), and again as
    // soon as this peer's own links changed (they are whom a newcomer can dial first).
    private byte[] wholeTopologyFrame() {
        long now = System.nanoTime();
        long ownVersion = peers.ourself().version();
        if (wholeTopology == null || now - wholeTopologyNanos > WHOLE_TOPOLOGY_MAX_AGE_NANOS
                || wholeTopologyOwnVersion != ownVersion) {
            wholeTopology = WireCodec.encodeTopologyGossip(gossipHead, peers.entries(peers.names(), new java.util.HashMap<>()));
            wholeTopologyNanos = now;
            wholeTopologyOwnVersion = ownVersion;
        }
        return wholeTopology;
    }
}
