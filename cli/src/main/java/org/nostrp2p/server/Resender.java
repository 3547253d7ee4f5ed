package org.nostrp2p.server;

import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.nostrp2p.model.Event;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.ResendQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends again the replies, mentions and likes that found no route, when the persistent
 * {@link ResendQueue} says they are due (per destination: 5 min × 2^n, up to about 3.5 days).
 * Run by the server's scheduler; not thread-safe (one run at a time).
 */
final class Resender {

    /** Entries handled per run. */
    static final int BATCH = 200;
    /** Entries sent at most when a peer is heard from. */
    static final int SCAN = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(Resender.class);

    private final EventStore store;
    private final PacketSender sender;
    private final Clock clock;

    Resender(EventStore store, PacketSender sender, Clock clock) {
        this.store = store;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * Sends at once what is queued for a server that was just heard from, without waiting for
     * the backoff: a restarted server gets its replies as soon as it speaks.
     *
     * @return how many queued events were delivered
     */
    int peerHeard(PeerName peer) {
        ResendQueue queue = store.resendQueue();
        if (queue.size() == 0) {
            return 0;
        }
        int delivered = 0;
        String keySuffix = HexFormat.of().formatHex(peer.toBytes());
        for (ResendQueue.Entry entry : queue.waitingFor(keySuffix, SCAN)) {
            Optional<Event> event = store.get(entry.eventId());
            if (event.isEmpty()) {
                queue.delivered(entry.destination(), entry.eventId());
            } else if (sender.unicastEvent(entry.destination(), event.get())) {
                queue.delivered(entry.destination(), entry.eventId());
                delivered++;
            }
        }
        if (delivered > 0) {
            LOG.info("Delivered {} queued event(s) to {}, which is reachable again", delivered, peer);
        }
        return delivered;
    }

    /** @return how many queued events were delivered in this run */
    int resendDue() {
        ResendQueue queue = store.resendQueue();
        List<ResendQueue.Entry> due = queue.due(clock.instant(), BATCH);
        int delivered = 0;
        for (ResendQueue.Entry entry : due) {
            Optional<Event> event = store.get(entry.eventId());
            if (event.isEmpty()) {
                // Evicted by retention: nothing left to send.
                queue.delivered(entry.destination(), entry.eventId());
                continue;
            }
            if (sender.unicastEvent(entry.destination(), event.get())) {
                queue.delivered(entry.destination(), entry.eventId());
                delivered++;
                LOG.info("Delivered queued event {} to the server of {} after {} failed attempt(s)",
                        event.get().idHex(), entry.destination(), entry.attempt() + 1);
            } else if (queue.failed(entry.destination(), entry.eventId(), clock.instant())) {
                LOG.warn("Gave up sending event {} to the server of {}: unreachable for about 3.5 days",
                        event.get().idHex(), entry.destination());
            }
        }
        return delivered;
    }
}
