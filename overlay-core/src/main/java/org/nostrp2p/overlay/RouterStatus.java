package org.nostrp2p.overlay;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;

/**
 * A snapshot of a {@link Router}'s state, what {@code weave status} shows (mesh
 * {@code Status}, status.go): the peers it knows with their connections, its own
 * connections, unicast and broadcast routes, connection targets. Immutable.
 *
 * @param name             this peer's name
 * @param nickName         this peer's nickname
 * @param uid              this peer's UID (random per start)
 * @param version          this peer's topology version
 * @param protocolVersion  the highest protocol version spoken
 * @param encryption       whether connections are encrypted (a password is set)
 * @param peerDiscovery    whether discovered peers are connected to
 * @param listenAddress    where this peer listens, null before {@link Router#start()}
 * @param peers            every peer known, this one included
 * @param connections      this peer's own connections
 * @param unicastRoutes    destination → next hop, over links confirmed by both ends
 * @param broadcastRoutes  source → neighbours a broadcast from it is forwarded to (for this peer as source)
 * @param targets          addresses the connection maker connects or will connect to
 * @param terminationCount connections ended since start
 * @param trustedSubnets   the trusted subnets, as given
 * @param counters         running totals since start: frames, bytes, broadcasts relayed, topology work
 * @param collidingNames   peer names seen with two different UIDs in the topology (this peer's own
 *                         name included): two peers run under one name
 */
public record RouterStatus(
        PeerName name,
        String nickName,
        long uid,
        long version,
        int protocolVersion,
        boolean encryption,
        boolean peerDiscovery,
        InetSocketAddress listenAddress,
        List<PeerStatus> peers,
        List<ConnectionStatus> connections,
        Map<PeerName, PeerName> unicastRoutes,
        Map<PeerName, List<PeerName>> broadcastRoutes,
        List<TargetStatus> targets,
        int terminationCount,
        List<String> trustedSubnets,
        Counters counters,
        java.util.Set<PeerName> collidingNames) {

    /**
     * Running totals since the router started, for operators. All counts only grow.
     *
     * @param framesSent               frames written, every tag, heartbeats included
     * @param bytesSent                bytes of those frames (tag and payload, without the length prefix)
     * @param framesReceived           frames read after the handshake
     * @param bytesReceived            bytes of those frames
     * @param broadcastsRelayed        application broadcasts passed on to a neighbour (one per neighbour)
     * @param topologyMessagesReceived topology messages read (tag 4 and 6)
     * @param topologyUpdatesApplied   of those, how many carried news
     * @param topologyMessagesSent     topology messages written
     * @param topologyBytesSent        bytes of those
     * @param routeRecomputations      route tables computed (each is one walk of the topology)
     * @param broadcastsRepaired       broadcasts the tree did not bring here, asked for from a Java
     *                                 neighbour that announced them (beyond mesh; see
     *                                 {@link Router.Builder#broadcastRepair})
     * @param broadcastCopiesDropped   copies of a broadcast already delivered here, dropped before
     *                                 the gossiper (beyond mesh, likewise)
     * @param topologyEntriesReceived  peer entries in the topology messages read
     * @param topologyEntriesNew       of those, how many were news here (the rest are copies that
     *                                 came by more than one way)
     * @param topologyPrunes           links on which this peer asked a Java neighbour to announce
     *                                 topology news rather than send it, because what came on
     *                                 them was mostly known already (beyond mesh: lazy push)
     * @param topologyGrafts           times this peer asked a Java neighbour for news it had
     *                                 only announced, and made that link eager again
     * @param handshakesEvicted        accepted connections closed before their handshake to make
     *                                 room for a newer one: more were in their handshake at once
     *                                 than the pool holds (beyond mesh, a defence against silent
     *                                 connects; many on a healthy peer mean its event loop is
     *                                 too busy to read handshakes promptly)
     * @param handshakesTimedOut       accepted connections closed for not completing their
     *                                 handshake within five seconds (likewise)
     */
    public record Counters(long framesSent, long bytesSent, long framesReceived, long bytesReceived,
                           long broadcastsRelayed, long topologyMessagesReceived, long topologyUpdatesApplied,
                           long topologyMessagesSent, long topologyBytesSent, long routeRecomputations,
                           long broadcastsRepaired, long broadcastCopiesDropped, long topologyEntriesReceived,
                           long topologyEntriesNew, long topologyPrunes, long topologyGrafts,
                           long handshakesEvicted, long handshakesTimedOut) {
    }

    /**
     * A known peer.
     *
     * @param name        its name
     * @param nickName    its nickname
     * @param uid         its UID, 0 while only its name is known
     * @param shortId     its short id
     * @param version     its topology version
     * @param connections its connections as it last described them in topology gossip
     */
    public record PeerStatus(PeerName name, String nickName, long uid, int shortId, long version,
                             List<PeerLink> connections) {
    }

    /**
     * One connection of a known peer, as that peer last described it in topology gossip (mesh
     * {@code connectionSummary}, shown by {@code weave status peers}). What another peer says
     * of itself: nothing here is confirmed by this peer.
     *
     * @param name        the peer at the other end
     * @param address     the remote address the describing peer gave, {@code host:port} (may be empty)
     * @param outbound    whether the describing peer dialled
     * @param established whether the connection finished its handshake
     */
    public record PeerLink(PeerName name, String address, boolean outbound, boolean established) {
    }

    /**
     * One of this peer's connections.
     *
     * @param address     the remote address ({@code host:port} dialled, or where an inbound one came from)
     * @param name        the remote peer
     * @param nickName    its nickname
     * @param outbound    whether this peer dialled
     * @param established whether it is established
     * @param framesSent     frames written on it
     * @param bytesSent      their bytes
     * @param framesReceived frames read from it
     * @param bytesReceived  their bytes
     */
    public record ConnectionStatus(String address, PeerName name, String nickName, boolean outbound, boolean established,
                                   long framesSent, long bytesSent, long framesReceived, long bytesReceived) {
    }

    /**
     * An address the connection maker tries.
     *
     * @param address      {@code host:port}
     * @param state        waiting, attempting, connected or suspended
     * @param lastError    why the last attempt ended, or null
     * @param retryInMillis when the next attempt is due, -1 for never
     */
    public record TargetStatus(String address, String state, String lastError, long retryInMillis) {
    }

    /** @return the peer called {@code peer}, if known */
    public java.util.Optional<PeerStatus> peer(PeerName peer) {
        return peers.stream().filter(p -> p.name().equals(peer)).findFirst();
    }
}
