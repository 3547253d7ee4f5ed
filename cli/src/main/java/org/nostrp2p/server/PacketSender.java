package org.nostrp2p.server;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.codec.Np2pReq;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Writes what this server sends other servers, and only what a Go peer survives (DESIGN §6):
 * {@code PktVer} 3 always; a request packet carries one request and never an empty list;
 * a kind 1 request always has {@code Args["evtId"]}; events always carry their signature;
 * no packet near mesh's 10 MiB frame cap (a long answer is split). Thread-safe.
 */
final class PacketSender {

    /** A packet of events is cut when it would pass this size: well under mesh's 10 MiB frame cap. */
    static final int MAX_PACKET_BYTES = 1 << 20;

    private static final HexFormat HEX = HexFormat.of();

    private final Overlay overlay;
    private final Predicate<PeerName> held;
    private final SecureRandom random = new SecureRandom();

    PacketSender(Overlay overlay) {
        this(overlay, server -> false);
    }

    /** @param held whether unicasts to a server are held now (its name collides); they then fail as if unreachable */
    PacketSender(Overlay overlay, Predicate<PeerName> held) {
        this.overlay = overlay;
        this.held = held;
    }

    private boolean unicast(PeerName destination, byte[] packet) {
        return !held.test(destination) && overlay.unicast(destination, packet);
    }

    /** @return the peer name of the server of the user with this public key (its last 6 bytes) */
    static PeerName serverOf(String pubkeyHex) {
        return PeerName.fromLastBytes(HEX.parseHex(pubkeyHex));
    }

    /** @return the peer name of the server of the user with this public key */
    static PeerName serverOf(byte[] pubkey) {
        return PeerName.fromLastBytes(pubkey);
    }

    /** Broadcasts one signed event to every server. */
    void broadcastEvent(Event event) {
        requireSigned(event);
        overlay.broadcast(Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(event))));
    }

    /** @return whether the event was handed on towards the server of {@code destinationPubkeyHex} */
    boolean unicastEvent(String destinationPubkeyHex, Event event) {
        requireSigned(event);
        return unicast(serverOf(destinationPubkeyHex), Np2pCodec.encodePacket(Np2pPacket.ofEvents(List.of(event))));
    }

    /**
     * Sends events to one server, split into packets under {@link #MAX_PACKET_BYTES}; events
     * without a signature are left out.
     *
     * @return the number of packets sent, or -1 when there was no route
     */
    int unicastEvents(PeerName destination, List<Event> events) {
        int packets = 0;
        for (List<Event> batch : batches(events)) {
            if (!unicast(destination, Np2pCodec.encodePacket(Np2pPacket.ofEvents(batch)))) {
                return -1;
            }
            packets++;
        }
        return packets;
    }

    /** Splits events into lists whose packets stay under {@link #MAX_PACKET_BYTES}. */
    static List<List<Event>> batches(List<Event> events) {
        List<List<Event>> batches = new ArrayList<>();
        List<Event> current = new ArrayList<>();
        long currentBytes = 64;
        for (Event event : events) {
            if (event.sig() == null) {
                continue;
            }
            int size = Np2pCodec.encodeEvent(event).length;
            if (!current.isEmpty() && currentBytes + size > MAX_PACKET_BYTES) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = 64;
            }
            current.add(event);
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** @return whether a profile (kind 0) or follow list (kind 3) request reached the author's server */
    boolean requestReplaceable(String authorPubkeyHex, int kind) {
        if (kind != Np2pReq.KIND_PROFILE && kind != Np2pReq.KIND_FOLLOW_LIST) {
            throw new IllegalArgumentException("not a replaceable request kind: " + kind);
        }
        return unicast(serverOf(authorPubkeyHex), Np2pCodec.encodePacket(Np2pPacket.ofRequest(new Np2pReq(random.nextLong(), kind, null))));
    }

    /** @return whether a request for one post reached its author's server */
    boolean requestPost(String authorPubkeyHex, byte[] eventId) {
        if (eventId.length != 32) {
            throw new IllegalArgumentException("an event id has 32 bytes, got " + eventId.length);
        }
        Np2pReq req = new Np2pReq(random.nextLong(), Np2pReq.KIND_POST, Map.of("evtId", List.of((Object) eventId.clone())));
        return unicast(serverOf(authorPubkeyHex), Np2pCodec.encodePacket(Np2pPacket.ofRequest(req)));
    }

    /**
     * Asks every server for its recent events (catch-up).
     *
     * @return the request's id
     */
    long broadcastRecentEventsRequest() {
        long id = random.nextLong();
        overlay.broadcast(Np2pCodec.encodePacket(Np2pPacket.ofRequest(new Np2pReq(id, Np2pReq.KIND_RECENT_EVENTS, null))));
        return id;
    }

    private static void requireSigned(Event event) {
        if (event.sig() == null) {
            throw new IllegalArgumentException("an event sent to other servers must carry its signature: " + event);
        }
    }
}
