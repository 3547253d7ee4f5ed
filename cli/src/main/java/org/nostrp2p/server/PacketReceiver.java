package org.nostrp2p.server;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventKind;
import org.nostrp2p.model.EventLimits;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.CodecException;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.codec.Np2pReq;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What this server does with the packets other servers send: broadcasts and unicasts take one
 * path, on the overlay's thread, each step able to drop an event before the next costs more:
 *
 * <ol>
 *   <li><b>decode</b> under the {@link EventLimits} (an oversized event is skipped unread);</li>
 *   <li><b>bounds</b>: the tag limits and the time ({@code created_at} at most 15 minutes
 *       ahead, below 2^53);</li>
 *   <li><b>self check</b>: a packet under this server's own name means the identity runs twice;</li>
 *   <li><b>admit(neighbour)</b>: the {@link Admission} budget of the neighbour that relayed it;</li>
 *   <li><b>de-duplicate</b> against the ids seen lately;</li>
 *   <li><b>verify</b> id and signature (marked seen only once verified: a forged copy must not
 *       hide the real event);</li>
 *   <li><b>store</b> on the work thread, through a {@link WorkQueue} bounded in bytes.</li>
 * </ol>
 *
 * A broadcast's new, valid events are passed on; requests are answered by the
 * {@link RequestAnswerer} on the work thread. Every repeated log line is rate-limited per cause;
 * nothing a peer sends escapes as an exception.
 */
final class PacketReceiver implements OverlayListener {

    private static final Logger LOG = LoggerFactory.getLogger(PacketReceiver.class);
    /** What queueing a request costs the work queue's byte budget. */
    private static final long REQUEST_BYTES = 1024;
    /**
     * Servers heard from are reported (for the resend queue, which limits per server) at most
     * this many times a second in all, so a flood does not fill the work queue with reports.
     */
    static final int HEARD_PER_SECOND = 50;
    /** Requests (profile, follow list, post) one neighbour may bring a second, sustained... */
    static final int REQUESTS_PER_SECOND = 20;
    /** ...and at once (a server that just learnt of many authors asks for their profiles). */
    static final int REQUESTS_BURST = 200;

    /** What was refused, for the status and tests. */
    static final class Counters {
        final AtomicLong malformed = new AtomicLong();
        final AtomicLong oversized = new AtomicLong();
        final AtomicLong mistimed = new AtomicLong();
        final AtomicLong overBudget = new AtomicLong();
        final AtomicLong forged = new AtomicLong();
        final AtomicLong queueFull = new AtomicLong();
    }

    private final Overlay overlay;
    private final String ownerHex;
    private final EventStore store;
    private final RecentIds seen;
    private final RecentIds ownRequests;
    private final WorkQueue work;
    private final Clock clock;
    private final EventLimits limits;
    private final Admission admission;
    private final RequestAnswerer answerer;
    private final IdentityWatch identityWatch;
    private final Consumer<PeerName> heardFrom;
    private final Consumer<PeerName> collisionResolved;
    private final LogLimiter logs;
    private final Counters counters = new Counters();
    private final TokenBuckets heardInAll;
    private final TokenBuckets requestBudget;
    private volatile boolean eventsReceived;

    PacketReceiver(Overlay overlay, String ownerHex, EventStore store, RecentIds seen, RecentIds ownRequests, WorkQueue work,
                   Clock clock, EventLimits limits, Admission admission, RequestAnswerer answerer, IdentityWatch identityWatch,
                   Consumer<PeerName> heardFrom, Consumer<PeerName> collisionResolved, LogLimiter logs) {
        this.overlay = overlay;
        this.ownerHex = ownerHex;
        this.store = store;
        this.seen = seen;
        this.ownRequests = ownRequests;
        this.work = work;
        this.clock = clock;
        this.limits = limits;
        this.admission = admission;
        this.answerer = answerer;
        this.identityWatch = identityWatch;
        this.heardFrom = heardFrom;
        this.collisionResolved = collisionResolved;
        this.logs = logs;
        this.heardInAll = new TokenBuckets(clock, HEARD_PER_SECOND, HEARD_PER_SECOND, 1);
        this.requestBudget = new TokenBuckets(clock, REQUESTS_PER_SECOND, REQUESTS_BURST, Admission.MAX_NEIGHBOURS);
    }

    @Override
    public byte[] onBroadcast(PeerName source, PeerName relayedBy, byte[] bytes) {
        return receive(source, relayedBy, bytes, true);
    }

    @Override
    public void onUnicast(PeerName source, PeerName relayedBy, byte[] bytes) {
        receive(source, relayedBy, bytes, false);
    }

    @Override
    public void onNameCollision(PeerName name) {
        identityWatch.nameCollision(name);
    }

    @Override
    public void onNameCollisionResolved(PeerName name) {
        if (identityWatch.nameCollisionResolved(name)) {
            submit(REQUEST_BYTES, () -> collisionResolved.accept(name), name);
        }
    }

    /** @return whether some server has sent this one events since start */
    boolean eventsReceived() {
        return eventsReceived;
    }

    Counters counters() {
        return counters;
    }

    /** @return the packet to relay (broadcasts only), or null */
    private byte[] receive(PeerName source, PeerName neighbour, byte[] bytes, boolean broadcast) {
        String how = broadcast ? "broadcast" : "sent";
        Np2pCodec.Screened screened;
        try {
            screened = Np2pCodec.decodePacket(bytes, limits);
        } catch (CodecException e) {
            counters.malformed.incrementAndGet();
            logs.log(LOG, Level.INFO, "malformed", "Dropped a malformed packet ({} bytes) {} by {} via {}: {}",
                    bytes.length, how, source, neighbour, e.getMessage());
            return null;
        }
        Np2pPacket packet = screened.packet();
        if (packet.pktVer() != Np2pPacket.PKT_VER) {
            logs.log(LOG, Level.INFO, "version", "Dropped a packet of version {} {} by {} (this server speaks version {})",
                    packet.pktVer(), how, source, Np2pPacket.PKT_VER);
            return null;
        }
        if (!screened.refusals().isEmpty()) {
            counters.oversized.addAndGet(screened.refusals().size());
            logs.log(LOG, Level.INFO, "oversized", "Refused {} event(s) {} by {} via {}: {}",
                    screened.refusals().size(), how, source, neighbour, screened.refusals().get(0));
        }
        if (source.equals(overlay.self())) {
            identityWatch.ownNameSeen(source);
            return null;
        }
        if (heardInAll.take(this)) {
            submit(REQUEST_BYTES, () -> heardFrom.accept(source), neighbour);
        }
        List<Event> events = packet.events() == null ? List.of() : packet.events();
        if (!events.isEmpty() || !screened.refusals().isEmpty()) {
            return receiveEvents(source, neighbour, events, broadcast);
        }
        List<Np2pReq> requests = packet.reqs() == null ? List.of() : packet.reqs();
        return broadcast ? receiveBroadcastRequests(source, neighbour, requests) : receiveRequests(source, neighbour, requests);
    }

    private byte[] receiveEvents(PeerName source, PeerName neighbour, List<Event> events, boolean broadcast) {
        long now = clock.instant().getEpochSecond();
        List<Event> fresh = new ArrayList<>();
        long freshBytes = 0;
        for (Event event : events) {
            Optional<String> mistimed = limits.timeViolation(event, now);
            if (mistimed.isPresent()) {
                counters.mistimed.incrementAndGet();
                logs.log(LOG, Level.INFO, "mistimed", "Refused event {} {} by {} via {}: {}",
                        event.idHex(), broadcast ? "broadcast" : "sent", source, neighbour, mistimed.get());
                continue;
            }
            if (!admission.admit(neighbour, event, !broadcast)) {
                counters.overBudget.incrementAndGet();
                logs.log(LOG, Level.INFO, "over budget", "Dropped events from {}: over its budget of {} events a second "
                        + "(burst {}) by authors this server's user does not follow, or of forged events", neighbour,
                        Admission.UNFOLLOWED_EVENTS_PER_SECOND, Admission.UNFOLLOWED_BURST);
                continue;
            }
            String id = event.idHex();
            if (seen.contains(id)) {
                continue;
            }
            if (!Events.verify(event)) {
                counters.forged.incrementAndGet();
                admission.failedVerification(neighbour);
                logs.log(LOG, Level.INFO, "forged", "Dropped an event with an invalid id or signature {} by {} via {}",
                        broadcast ? "broadcast" : "sent", source, neighbour);
                continue;
            }
            if (seen.firstSeen(id)) {
                fresh.add(event);
                freshBytes += EventLimits.sizeOf(event);
            }
        }
        if (!broadcast && !events.isEmpty()) {
            eventsReceived = true;
        }
        if (fresh.isEmpty()) {
            return null;
        }
        if (!submit(freshBytes, () -> store(fresh, source, broadcast), neighbour)) {
            // Not stored, so not passed on either; let them be taken when they come again.
            fresh.forEach(event -> seen.forget(event.idHex()));
            return null;
        }
        return broadcast ? Np2pCodec.encodePacket(Np2pPacket.ofEvents(fresh)) : null;
    }

    private byte[] receiveBroadcastRequests(PeerName source, PeerName neighbour, List<Np2pReq> requests) {
        List<Np2pReq> fresh = new ArrayList<>();
        for (Np2pReq req : requests) {
            // Only catch-up requests are meant for everyone; nothing else is passed on.
            if (req.kind() != EventKind.RECENT_EVENTS || ownRequests.contains(req.id())) {
                LOG.debug("Ignored a broadcast request of kind {} from {}", req.kind(), source);
                continue;
            }
            if (seen.firstSeen("req:" + req.id())) {
                fresh.add(req);
            }
        }
        if (fresh.isEmpty()) {
            return null;
        }
        if (answerer.mayAnswerRecentEvents(source)) {
            submit(REQUEST_BYTES, () -> answerer.recentEvents(source), neighbour);
        }
        return Np2pCodec.encodePacket(new Np2pPacket(Np2pPacket.SRV_VER, Np2pPacket.PKT_VER, null, fresh));
    }

    private byte[] receiveRequests(PeerName source, PeerName neighbour, List<Np2pReq> requests) {
        for (Np2pReq req : requests) {
            if (!requestBudget.take(neighbour)) {
                counters.overBudget.incrementAndGet();
                logs.log(LOG, Level.INFO, "requests over budget", "Dropped requests from {}: over its budget of {} requests a second "
                        + "(burst {})", neighbour, REQUESTS_PER_SECOND, REQUESTS_BURST);
                return null;
            }
            submit(REQUEST_BYTES, () -> answerer.answer(source, req), neighbour);
        }
        return null;
    }

    private void store(List<Event> events, PeerName source, boolean broadcast) {
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
            logs.log(LOG, Level.ERROR, "store failed", "Could not store {} event(s) from {}: {}", events.size(), source, e.getMessage());
            // Let them be processed again when they come again.
            events.forEach(event -> seen.forget(event.idHex()));
        }
    }

    private boolean submit(long bytes, Runnable task, PeerName neighbour) {
        return work.submit(bytes, () -> {
            try {
                task.run();
            } catch (StoreException e) {
                logs.log(LOG, Level.ERROR, "store failed", "The store failed: {}", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Failed to handle a packet", e);
            }
        }, reason -> {
            counters.queueFull.incrementAndGet();
            logs.log(LOG, Level.WARN, "queue full", "Dropped work for a packet via {}: {}", neighbour, reason);
        });
    }
}
