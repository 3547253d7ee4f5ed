package org.nostrp2p.model.codec;

import java.util.List;
import org.nostrp2p.model.Event;

/**
 * What NostrP2P servers send each other on the {@code nostrp2p} gossip channel (Go
 * {@code Np2pPacket}).
 *
 * @param srvVer {@link #SRV_VER}
 * @param pktVer {@link #PKT_VER}; a Go peer crashes on a broadcast with another value
 * @param events the events, or {@code null} (written as nil)
 * @param reqs   the requests, or {@code null} (written as nil); a decoder maps both nil and
 *               an empty list to what it read
 */
public record Np2pPacket(int srvVer, int pktVer, List<Event> events, List<Np2pReq> reqs) {
    /** The server version NostrP2P writes. */
    public static final int SRV_VER = 1;
    /** The packet version NostrP2P writes and Go requires. */
    public static final int PKT_VER = 3;

    /** @return a packet carrying events */
    public static Np2pPacket ofEvents(List<Event> events) {
        return new Np2pPacket(SRV_VER, PKT_VER, events, null);
    }

    /** @return a packet carrying one request */
    public static Np2pPacket ofRequest(Np2pReq req) {
        return new Np2pPacket(SRV_VER, PKT_VER, null, List.of(req));
    }
}
