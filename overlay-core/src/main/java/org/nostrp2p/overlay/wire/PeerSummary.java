package org.nostrp2p.overlay.wire;

import org.nostrp2p.overlay.name.PeerName;

/**
 * A peer as topology gossip describes it (mesh {@code peerSummary}, peer.go).
 *
 * @param name       {@code NameByte}, six bytes on the wire
 * @param nickName   {@code NickName}
 * @param uid        {@code UID}, random per incarnation, 0 for a placeholder
 * @param version    {@code Version}, bumped on every change of the peer's connections
 * @param shortId    {@code ShortID}, 12 bits
 * @param hasShortId {@code HasShortID}
 */
public record PeerSummary(PeerName name, String nickName, long uid, long version, int shortId, boolean hasShortId) {
}
