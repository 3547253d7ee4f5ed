package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventKind;
import org.nostrp2p.model.Filter;
import org.nostrp2p.model.codec.Np2pReq;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Answers what other servers ask this one (DESIGN §6): its user's profile (kind 0) or follow
 * list (3), one post (1, {@code Args {"evtId": [id]}}), its recent events (40000, catch-up).
 * A catch-up answer is a query of up to {@link #RECENT_EVENTS_MAX} events, so they are
 * budgeted (issue 12): at most one per asking server per {@link #RECENT_EVENTS_INTERVAL} (two at once) and
 * {@link #RECENT_EVENTS_PER_SECOND} a second in all, whatever sources a flood claims.
 * Runs on the server's work thread.
 */
final class RequestAnswerer {

    /** A recent-events answer holds at most this many events... */
    static final int RECENT_EVENTS_MAX = 2000;
    /** ...of at most this age, as the Go server answers the last 3 days. */
    static final Duration RECENT_EVENTS_AGE = Duration.ofDays(3);
    /** One recent-events answer per asking server per this interval... */
    static final Duration RECENT_EVENTS_INTERVAL = Duration.ofMinutes(1);
    /** ...but two at once: a server restarted at once asks again. */
    static final int RECENT_EVENTS_BURST = 2;
    /** Recent-events answers a second in all (and at once). */
    static final int RECENT_EVENTS_PER_SECOND = 3;

    private static final Logger LOG = LoggerFactory.getLogger(RequestAnswerer.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final Object ALL = new Object();

    private final String ownerHex;
    private final EventStore store;
    private final PacketSender sender;
    private final Clock clock;
    private final LogLimiter logs;
    private final RequestLimiter perSource;
    private final TokenBuckets inAll;

    RequestAnswerer(String ownerHex, EventStore store, PacketSender sender, Clock clock, LogLimiter logs) {
        this.ownerHex = ownerHex;
        this.store = store;
        this.sender = sender;
        this.clock = clock;
        this.logs = logs;
        this.perSource = new RequestLimiter(clock);
        this.inAll = new TokenBuckets(clock, RECENT_EVENTS_PER_SECOND, RECENT_EVENTS_PER_SECOND, 1);
    }

    /** Answers one request {@code source} sent this server alone. */
    void answer(PeerName source, Np2pReq req) {
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
                    logs.log(LOG, Level.INFO, "post request without id", "Ignored a post request from {} without a valid evtId argument", source);
                    return;
                }
                store.get(id).ifPresent(event -> sender.unicastEvents(source, List.of(event)));
            }
            case EventKind.RECENT_EVENTS -> {
                if (mayAnswerRecentEvents(source)) {
                    recentEvents(source);
                }
            }
            default -> LOG.debug("Ignored a request of unknown kind {} from {}", req.kind(), source);
        }
    }

    /**
     * Spends the catch-up budgets for an answer to {@code source}, on the receiving thread, so
     * a flood of requests queues no work: one a minute per server (two at once), a few a second in all.
     *
     * @return whether {@link #recentEvents} may answer it
     */
    boolean mayAnswerRecentEvents(PeerName source) {
        if (!perSource.allow(source.toString(), RECENT_EVENTS_INTERVAL, RECENT_EVENTS_BURST)) {
            logs.log(LOG, Level.INFO, "catch-up again", "Did not answer {}'s request for recent events: one a minute per server is answered", source);
            return false;
        }
        if (!inAll.take(ALL)) {
            logs.log(LOG, Level.INFO, "catch-up busy", "Did not answer {}'s request for recent events: {} a second are answered in all",
                    source, RECENT_EVENTS_PER_SECOND);
            return false;
        }
        return true;
    }

    /** Sends {@code source} the recent events meant for it; {@link #mayAnswerRecentEvents} was asked first. */
    void recentEvents(PeerName source) {
        long since = clock.instant().minus(RECENT_EVENTS_AGE).getEpochSecond();
        List<Event> events = new ArrayList<>(store.query(Filter.all().withRange(since, null).withLimit(RECENT_EVENTS_MAX))
                .stream().filter(e -> Distribution.reaches(e, source)).toList());
        if (events.isEmpty()) {
            return;
        }
        Collections.reverse(events);
        int packets = sender.unicastEvents(source, events);
        if (packets < 0) {
            logs.log(LOG, Level.INFO, "catch-up no route", "Could not answer {}'s request for recent events: no route to it", source);
        } else {
            LOG.debug("Sent {} recent event(s) to {} in {} packet(s)", events.size(), source, packets);
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
}
