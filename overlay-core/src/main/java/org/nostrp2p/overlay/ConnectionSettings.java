package org.nostrp2p.overlay;

import java.util.Objects;
import org.nostrp2p.overlay.name.PeerName;

/**
 * What every {@link Connection} of one router is set up with and never changes: who this peer
 * is (as its features tell it), the handshake's password, the heartbeat, the budgets a
 * neighbour is held to, and the degree and limit its features announce. Mesh's
 * {@code LocalConnection} reads the same from {@code router.Ourself} and {@code router.Config};
 * here a connection gets them without the router. What does change while the router runs
 * (the port once bound, the short id, how many links there are) a connection asks its
 * {@link ConnectionHost}. Immutable; any thread.
 *
 * @param name                     this peer's name (feature {@code Name})
 * @param nickName                 this peer's nickname (feature {@code NickName})
 * @param uid                      this peer's UID, fixed while it runs (feature {@code UID})
 * @param password                 the mesh password, or null for a plain mesh; not copied, never changed
 * @param heartbeatMillis          how often a heartbeat goes out; nothing read or written for twice this ends the connection
 * @param trustedSubnets           whose addresses this peer trusts (feature {@code Trusted})
 * @param outboundBudgetBytes      the most bytes one connection may have waiting to be sent (see {@link OutboundBudget})
 * @param neighbourFramesPerSecond the frames a second one neighbour may send, sustained (see {@link NeighbourBudget})
 * @param neighbourBytesPerSecond  the bytes a second one neighbour may send, sustained
 * @param targetDegree             links from which an inbound connection is told this peer is full; 0 for never
 * @param connLimit                the most connections this peer keeps, 0 for no limit
 */
record ConnectionSettings(
        PeerName name,
        String nickName,
        long uid,
        byte[] password,
        long heartbeatMillis,
        TrustedSubnets trustedSubnets,
        long outboundBudgetBytes,
        double neighbourFramesPerSecond,
        double neighbourBytesPerSecond,
        int targetDegree,
        int connLimit) {

    ConnectionSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nickName, "nickName");
        Objects.requireNonNull(trustedSubnets, "trustedSubnets");
    }
}
