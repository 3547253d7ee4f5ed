package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.Filter;
import org.nostrp2p.model.codec.CodecException;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.codec.Np2pReq;
import org.nostrp2p.overlay.PeerName;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this server does with the packets other servers send (DESIGN §6): verify every event
 * before storing or passing it on, drop broadcasts seen before, answer profile, follow list,
 * post and recent-events requests. Malformed packets and forged events are dropped with one
 * log line; nothing a peer sends escapes as an exception.
 *
 * <p>Broadcasts are checked on the overlay's thread (what to pass on depends on it); storing
 * and everything a unicast asks for run on {@code work}, one task at a time.
 */
final class PacketReceiver implements OverlayListener {

    /** A recent-events answer holds at most this many events... */
    static final int RECENT_EVENTS_MAX = 2000;
    /** ...of at most this age, as the Go server answers the last 3 days. */
    static final Duration RECENT_EVENTS_AGE = Duration.ofDays(3);
    /** One recent-events answer per asking server per this interval on average... */
    static final Duration RECENT_EVENTS_INTERVAL = Duration.ofSeconds(30);
    /** ...allowing a few at once: a server restarted at once asks again. */
    static final int RECENT_EVENTS_BURST = 3;

    private static final Logger LOG = LoggerFactory.getLogger(PacketReceiver.class);
    private static final HexFormat HEX = HexFormat.of();

    private final Overlay overlay;
    private final String ownerHex;
    private final EventStore store;
    private final PacketSender sender;
    private final RecentIds seen;
    private final Executor work;
    private final Clock clock;
    private final RequestLimiter answerLimiter;
    private final IdentityWatch identityWatch;
    private final RecentIds ownRequests;
    private final Consumer<PeerName> heardFrom;
    private volatile boolean eventsReceived;

    PacketReceiver(Overlay overlay, String ownerHex, EventStore store, PacketSender sender, RecentIds seen,
                   RecentIds ownRequests, Executor work, Clock clock, IdentityWatch identityWatch,
                   Consumer<PeerName> heardFrom) {
        this.heardFrom = heardFrom;
        this.overlay = overlay;
        this.ownerHex = ownerHex;
        this.store = store;
        this.sender = sender;
        this.seen = seen;
        this.ownRequests = ownRequests;
        this.work = work;
        this.clock = clock;
        this.answerLimiter = new RequestLimiter(clock);
        this.identityWatch = identityWatch;
    }

    @Override
    public byte[] onBroadcast(PeerName source, byte[] bytes) {
        Np2pPacket packet = decode(source, bytes, "broadcast");
        if (packet == null) {
            return null;
        }
        if (source.equals(overlay.self())) {
            identityWatch.ownNameSeen(source);
            return null;
        }
        submit(() -> heardFrom.accept(source));
        List<Event> events = packet.events() == null ? List.of() : packet.events();
        if (!events.isEmpty()) {
            List<Event> fresh = new ArrayList<>();
            int forged = 0;
            for (Event event : events) {
                String id = event.idHex();
                if (seen.contains(id)) {
                    continue;
                }
                // Marked as seen only once verified: a forged copy must not hide the real event.
                if (!Events.verify(event)) {
                    forged++;
                    continue;
                }
                if (seen.firstSeen(id)) {
                    fresh.add(event);
                }
            }
            if (forged > 0) {
                LOG.info("Dropped {} event(s) with an invalid id or signature broadcast by {}", forged, source);
            }
            if (fresh.isEmpty()) {
                return null;
            }
            submit(() -> store(fresh, source, true));
            return Np2pCodec.encodePacket(Np2pPacket.ofEvents(fresh));
        }
        // A Go peer ignores the requests of a packet that also carries events; so do we.
        List<Np2pReq> requests = packet.reqs() == null ? List.of() : packet.reqs();
        List<Np2pReq> fresh = new ArrayList<>();
        for (Np2pReq req : requests) {
            // Only catch-up requests are meant for everyone; nothing else is passed on.
            if (req.kind() != Np2pReq.KIND_RECENT_EVENTS || ownRequests.contains(req.id())) {
                LOG.debug("Ignored a broadcast request of kind {} from {}", req.kind(), source);
                continue;
            }
            if (seen.firstSeen("req:" + req.id())) {
                fresh.add(req);
            }
        }
        if (!fresh.isEmpty()) {
            submit(() -> answerRecentEvents(source));
        }
        return fresh.isEmpty() ? null : Np2pCodec.encodePacket(new Np2pPacket(Np2pPacket.SRV_VER, Np2pPacket.PKT_VER, null, fresh));
    }

    /** @return whether some server has sent this one events since start */
    boolean eventsReceived() {
        return eventsReceived;
    }

    @Override
    public void onUnicast(PeerName source, byte[] bytes) {
        submit(() -> handleUnicast(source, bytes));
    }

    private void handleUnicast(PeerName source, byte[] bytes) {
        Np2pPacket packet = decode(source, bytes, "unicast");
        if (packet == null) {
            return;
        }
        if (source.equals(overlay.self())) {
            identityWatch.ownNameSeen(source);
            return;
        }
        heardFrom.accept(source);
        List<Event> events = packet.events() == null ? List.of() : packet.events();
        if (!events.isEmpty()) {
            List<Event> valid = new ArrayList<>(events.size());
            int forged = 0;
            for (Event event : events) {
                if (Events.verify(event)) {
                    valid.add(event);
                    seen.firstSeen(event.idHex());
                } else {
                    forged++;
                }
            }
            if (forged > 0) {
                LOG.info("Dropped {} event(s) with an invalid id or signature sent by {}", forged, source);
            }
            eventsReceived = true;
            store(valid, source, false);
            return;
        }
        List<Np2pReq> requests = packet.reqs() == null ? List.of() : packet.reqs();
        for (Np2pReq req : requests) {
            answer(source, req);
        }
    }

    private void answer(PeerName source, Np2pReq req) {
        switch (req.kind()) {
            case Np2pReq.KIND_PROFILE, Np2pReq.KIND_FOLLOW_LIST -> {
                Optional<Event> newest = store.latestReplaceable(ownerHex, req.kind());
                if (newest.isPresent()) {
                    sender.unicastEvents(source, List.of(newest.get()));
                } else {
                    LOG.debug("{} asked for our {} but there is none yet", source, req.kind() == 0 ? "profile" : "follow list");
                }
            }
            case Np2pReq.KIND_POST -> {
                byte[] id = eventIdArgument(req.args());
                if (id == null) {
                    LOG.info("Ignored a post request from {} without a valid evtId argument", source);
                    return;
                }
                store.get(id).ifPresent(event -> sender.unicastEvents(source, List.of(event)));
            }
            case Np2pReq.KIND_RECENT_EVENTS -> answerRecentEvents(source);
            default -> LOG.debug("Ignored a request of unknown kind {} from {}", req.kind(), source);
        }
    }

    private void answerRecentEvents(PeerName source) {
        if (!answerLimiter.allow(source.toString(), RECENT_EVENTS_INTERVAL, RECENT_EVENTS_BURST)) {
            LOG.debug("{} asked for recent events again within {}; not answered", source, RECENT_EVENTS_INTERVAL);
            return;
        }
        long since = clock.instant().minus(RECENT_EVENTS_AGE).getEpochSecond();
        List<Event> events = new ArrayList<>(store.query(Filter.all().withRange(since, null).withLimit(RECENT_EVENTS_MAX))
                .stream().filter(e -> Distribution.reaches(e, source)).toList());
        if (events.isEmpty()) {
            return;
        }
        Collections.reverse(events);
        int packets = sender.unicastEvents(source, events);
        if (packets < 0) {
            LOG.info("Could not answer {}'s request for recent events: no route to it", source);
        } else {
            LOG.info("Sent {} recent event(s) to {} in {} packet(s)", events.size(), source, packets);
        }
    }

    private void store(List<Event> events, PeerName source, boolean broadcast) {
        if (events.isEmpty()) {
            return;
        }
        if (broadcast) {
            for (Event event : events) {
                if (event.pubkeyHex().equals(ownerHex) && store.get(event.id()).isEmpty()) {
                    identityWatch.ownEventFromElsewhere(event, source);
                }
            }
        }
        try {
            List<EventStore.PutResult> results = store.putAll(events);
            long stored = results.stream().filter(r -> r == EventStore.PutResult.STORED).count();
            LOG.debug("Stored {} of {} event(s) from {}", stored, events.size(), source);
        } catch (StoreException e) {
            LOG.error("Could not store {} event(s) from {}: {}", events.size(), source, e.getMessage());
            // Let them be processed again when they come again.
            events.forEach(event -> seen.forget(event.idHex()));
        }
    }

    private static byte[] eventIdArgument(Map<String, List<Object>> args) {
        if (args == null) {
            return null;
        }
        List<Object> values = args.get("evtId");
        if (values == null || values.isEmpty()) {
            return null;
        }
        Object value = values.get(0);
        if (value instanceof byte[] bytes && bytes.length == 32) {
            return bytes;
        }
        if (value instanceof String text && text.length() == 64) {
            try {
                return HEX.parseHex(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private Np2pPacket decode(PeerName source, byte[] bytes, String how) {
        Np2pPacket packet;
        try {
            packet = Np2pCodec.decodePacket(bytes);
        } catch (CodecException e) {
            LOG.info("Dropped a malformed packet ({} bytes) {} by {}: {}", bytes.length, how.equals("broadcast") ? "broadcast" : "sent", source, e.getMessage());
            return null;
        }
        if (packet.pktVer() != Np2pPacket.PKT_VER) {
            LOG.info("Dropped a packet of version {} {} by {} (this server speaks version {})",
                    packet.pktVer(), how.equals("broadcast") ? "broadcast" : "sent", source, Np2pPacket.PKT_VER);
            return null;
        }
        return packet;
    }

    private void submit(Runnable task) {
        try {
            work.execute(() -> {
                try {
                    task.run();
                } catch (StoreException e) {
                    LOG.error("The store failed: {}", e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("Failed to handle a packet", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Dropped a packet: this server is too busy or stopping ({})", e.getMessage());
        }
    }
}
