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
}
