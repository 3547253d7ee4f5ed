package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventKind;
import org.nostrp2p.model.EventLimits;
import org.nostrp2p.model.Filter;
import org.nostrp2p.model.codec.Np2pReq;
import org.nostrp2p.rest.LiveSubscription;
import org.nostrp2p.rest.PublishResult;
import org.nostrp2p.rest.RecentEvents;
import org.nostrp2p.rest.ReqFilter;
import org.nostrp2p.rest.RestBackend;
import org.nostrp2p.rest.ServerStatus;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.ResendQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does for its own client (DESIGN §6): stores what its user publishes, then
 * broadcasts posts, quote reposts, reposts and profiles, unicasts replies, mentions and likes
 * to the servers concerned (queueing a resend when one is unreachable), keeps follow lists
 * local; answers {@code /req}, asking the author's server for a profile, follow list or post
 * it lacks, so the client's next poll has it. Thread-safe.
 */
final class ClientBackend implements RestBackend {

    /** A missing profile, follow list or post is asked for at most this often. */
    static final Duration MISS_INTERVAL = Duration.ofSeconds(10);
    /** A stored profile or follow list older than this is refreshed from its author's server... */
    static final Duration STALE_AFTER = Duration.ofDays(1);
    /** ...at most this often per author. */
    static final Duration REFRESH_INTERVAL = Duration.ofHours(1);
    /** At most this many ids or authors of one request are looked up. */
    static final int MAX_LOOKUPS = 100;
    /**
     * An answer to the client holds events of at most this many bytes in all (by
     * {@link EventLimits#sizeOf}): 300 events of the largest size accepted, 4 times the
     * Flutter client's largest poll of ordinary posts. Beyond it, the oldest are left out.
     */
    static final long MAX_ANSWER_BYTES = 20L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ClientBackend.class);
    private static final HexFormat HEX = HexFormat.of();

    private final String ownerHex;
    private final CountingEventStore store;
    private final PacketSender sender;
    private final RecentIds seen;
    private final Clock clock;
    private final RequestLimiter limiter;
    private final EventLimits limits;
    private final Runnable followListChanged;
    private final Function<Consumer<Event>, LiveSubscription> liveEvents;
    private final Supplier<ServerStatus> status;

    ClientBackend(String ownerHex, CountingEventStore store, PacketSender sender, RecentIds seen, Clock clock) {
        this(ownerHex, store, sender, seen, clock, EventLimits.DEFAULT, () -> { }, listener -> () -> { }, () -> null);
    }

    /**
     * @param followListChanged told after the owner's follow list was stored
     * @param liveEvents        registers a listener of newly stored events (the relay's live delivery)
     * @param status            the overlay as this server sees it, for {@code GET /status}
     */
    ClientBackend(String ownerHex, CountingEventStore store, PacketSender sender, RecentIds seen, Clock clock,
                  EventLimits limits, Runnable followListChanged, Function<Consumer<Event>, LiveSubscription> liveEvents,
                  Supplier<ServerStatus> status) {
        this.limits = limits;
        this.followListChanged = followListChanged;
        this.liveEvents = liveEvents;
        this.status = status;
        this.ownerHex = ownerHex;
        this.store = store;
        this.sender = sender;
        this.seen = seen;
        this.clock = clock;
        this.limiter = new RequestLimiter(clock);
    }

    @Override
    public PublishResult publish(Event event) {
        if (!event.pubkeyHex().equals(ownerHex)) {
            return PublishResult.refused(403, "only this server's own user (public key " + ownerHex
                    + ") may publish here; this event is signed by " + event.pubkeyHex());
        }
        Optional<String> violation = limits.violation(event, clock.instant().getEpochSecond());
        if (violation.isPresent()) {
            return PublishResult.refused(400, violation.get());
        }
        Optional<EventKind> kind = EventKind.of(event.kind());
        if (kind.isEmpty()) {
            return PublishResult.refused(400, "kind " + event.kind() + " is not supported; NostrP2P takes kinds 0 (profile), "
                    + "1 (post, reply, mention, quote repost), 3 (follow list), 6 (repost) and 7 (like)");
        }
        return switch (kind.get()) {
            case POST -> publishNote(event);
            case REPOST, PROFILE -> storeThenBroadcast(event);
            case FOLLOW_LIST -> {
                if (store.put(event) == EventStore.PutResult.STORED) {
                    followListChanged.run();
                }
                yield PublishResult.stored();
            }
            case LIKE -> publishLike(event);
        };
    }

    private PublishResult publishNote(Event event) {
        if (event.content().isEmpty()) {
            return PublishResult.refused(400, "a post needs content");
        }
        if (Distribution.isBroadcast(event)) {
            return storeThenBroadcast(event);
        }
        if (store.put(event) == EventStore.PutResult.DUPLICATE) {
            return PublishResult.stored(); // a replay: sent when it was first published (or queued)
        }
        seen.firstSeen(event.idHex());
        for (String user : Distribution.taggedUsers(event)) {
            unicastOrQueue(user, event, "reply or mention");
        }
        return PublishResult.stored();
    }

    private PublishResult publishLike(Event event) {
        String author = event.tags().stream()
                .filter(t -> t.size() >= 2 && t.get(0).equals("p") && Distribution.isHex64(t.get(1)))
                .map(t -> t.get(1).toLowerCase()).findFirst().orElse(null);
        if (author == null) {
            return PublishResult.refused(400, "a like needs a p tag naming the liked post's author (64 hex characters)");
        }
        if (store.put(event) == EventStore.PutResult.DUPLICATE) {
            return PublishResult.stored();
        }
        seen.firstSeen(event.idHex());
        if (!author.equals(ownerHex)) {
            unicastOrQueue(author, event, "like");
        }
        return PublishResult.stored();
    }

    private PublishResult storeThenBroadcast(Event event) {
        EventStore.PutResult result = store.put(event);
        seen.firstSeen(event.idHex());
        // A replay (the same event published again) is answered SUCCESS and not sent again.
        if (result == EventStore.PutResult.STORED) {
            sender.broadcastEvent(event);
        }
        return PublishResult.stored();
    }

    private void unicastOrQueue(String user, Event event, String what) {
        if (!sender.unicastEvent(user, event)) {
            ResendQueue queue = store.resendQueue();
            queue.enqueue(user, event.id(), clock.instant());
            LOG.info("No route to the server of {} ({}) now; the {} {} is queued and will be sent again",
                    user, PacketSender.serverOf(user), what, event.idHex());
        }
    }

    @Override
    public LiveSubscription subscribe(Consumer<Event> listener) {
        return liveEvents.apply(listener);
    }

    @Override
    public String ownerPublicKeyHex() {
        return ownerHex;
    }

    @Override
    public ServerStatus status() {
        return status.get();
    }

    @Override
    public long generation() {
        return store.writes();
    }

    @Override
    public List<Event> query(ReqFilter filter) {
        if (filter.hasKind(ReqFilter.KIND_RECENT_EVENTS)) {
            // Oldest first: the newest are kept.
            List<Event> oldestFirst = RecentEvents.answer(store, filter);
            List<Event> reversed = new ArrayList<>(oldestFirst);
            java.util.Collections.reverse(reversed);
            List<Event> kept = new ArrayList<>(withinAnswerBytes(reversed));
            java.util.Collections.reverse(kept);
            return kept;
        }
        return withinAnswerBytes(queryUnbounded(filter));
    }

    /** @return the first events of {@code events} whose sizes add up to at most {@link #MAX_ANSWER_BYTES} */
    static List<Event> withinAnswerBytes(List<Event> events) {
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            bytes += EventLimits.sizeOf(events.get(i));
            if (bytes > MAX_ANSWER_BYTES) {
                LOG.info("An answer to the client was cut to {} of {} events: at most {} bytes are answered at once",
                        i, events.size(), MAX_ANSWER_BYTES);
                return events.subList(0, i);
            }
        }
        return events;
    }

    private List<Event> queryUnbounded(ReqFilter filter) {
        if (filter.hasKind(1) && filter.ids() != null) {
            return posts(filter);
        }
        if (filter.hasKind(Np2pReq.KIND_PROFILE) && filter.authors() != null) {
            return replaceables(filter.authors(), Np2pReq.KIND_PROFILE);
        }
        if (filter.hasKind(Np2pReq.KIND_FOLLOW_LIST) && filter.authors() != null) {
            return replaceables(filter.authors(), Np2pReq.KIND_FOLLOW_LIST);
        }
        return store.query(toStoreFilter(filter));
    }

    private List<Event> posts(ReqFilter filter) {
        List<Event> found = new ArrayList<>();
        String author = filter.firstAuthor();
        for (String id : filter.ids().subList(0, Math.min(filter.ids().size(), MAX_LOOKUPS))) {
            byte[] idBytes = HEX.parseHex(id);
            Optional<Event> event = store.get(idBytes);
            if (event.isPresent()) {
                found.add(event.get());
            } else if (author != null && !author.equals(ownerHex) && limiter.allow("post:" + id, MISS_INTERVAL)) {
                boolean sent = sender.requestPost(author, idBytes);
                LOG.debug("Post {} is not here; {} its author's server {}", id, sent ? "asked" : "could not reach", PacketSender.serverOf(author));
            }
        }
        return found;
    }

    private List<Event> replaceables(List<String> authors, int kind) {
        List<Event> found = new ArrayList<>();
        long now = clock.instant().getEpochSecond();
        for (String author : authors.subList(0, Math.min(authors.size(), MAX_LOOKUPS))) {
            Optional<Event> newest = store.latestReplaceable(author, kind);
            boolean own = author.equals(ownerHex);
            if (newest.isPresent()) {
                found.add(newest.get());
                if (!own && now - newest.get().createdAt() > STALE_AFTER.toSeconds()
                        && limiter.allow("refresh:" + kind + ":" + author, REFRESH_INTERVAL)) {
                    sender.requestReplaceable(author, kind);
                }
            } else if (!own && limiter.allow("miss:" + kind + ":" + author, MISS_INTERVAL)) {
                boolean sent = sender.requestReplaceable(author, kind);
                LOG.debug("The {} of {} is not here; {} its server {}", kind == 0 ? "profile" : "follow list",
                        author, sent ? "asked" : "could not reach", PacketSender.serverOf(author));
            }
        }
        return found;
    }

    private static Filter toStoreFilter(ReqFilter f) {
        Long since = f.since() != null && f.since() > 0 ? f.since() : null;
        Long until = f.until() != null && f.until() > 0 ? f.until() : null;
        int limit = f.limit() != null && f.limit() > 0
                ? (int) Math.min(f.limit(), RecentEvents.MAX_EVENTS) : RecentEvents.DEFAULT_LATEST;
        return new Filter(f.ids(), f.authors(), f.kinds(), f.tags(), since, until, limit);
    }
}
