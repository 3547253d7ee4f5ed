package org.nostrp2p.overlay.wire;

import org.nostrp2p.overlay.name.PeerName;

/**
 * One of a peer's connections as topology gossip describes it (mesh
 * {@code connectionSummary}, peers.go).
 *
 * @param name          {@code NameByte} of the remote peer
 * @param remoteTcpAddr {@code RemoteTCPAddr}, {@code host:port}
 * @param outbound      {@code Outbound}: the describing peer dialled
 * @param established   {@code Established}: the connection finished its handshake and heartbeats
 */
public record ConnectionSummary(PeerName name, String remoteTcpAddr, boolean outbound, boolean established) {

    // Summaries recently made by shared(), one per slot (a newer one takes a taken slot):
    // bounded whatever arrives; racy reads are safe, a record of immutable values being immutable.
    private static final int SLOTS = 8192;
    private static final ConnectionSummary[] CACHE = new ConnectionSummary[SLOTS];

    /**
     * The summary of these values, often one made before: the topology decoder calls it for
     * every link it reads, and every router of an overlay stores the same links (a 500-router
     * benchmark JVM held 1.4 million summaries for a few thousand distinct ones). Equal to the
     * constructor's in every way but identity.
     */
    static ConnectionSummary shared(PeerName name, String remoteTcpAddr, boolean outbound, boolean established) {
        int hash = (int) (name.value() * 0x9E3779B97F4A7C15L >>> 32) ^ remoteTcpAddr.hashCode() * 31
                ^ (outbound ? 2 : 0) ^ (established ? 1 : 0);
        int slot = (hash ^ (hash >>> 13)) & (SLOTS - 1);
        ConnectionSummary cached = CACHE[slot];
        if (cached != null && cached.outbound == outbound && cached.established == established
                && cached.name.value() == name.value() && cached.remoteTcpAddr.equals(remoteTcpAddr)) {
            return cached;
        }
        ConnectionSummary made = new ConnectionSummary(name, remoteTcpAddr, outbound, established);
        CACHE[slot] = made;
        return made;
    }
}
