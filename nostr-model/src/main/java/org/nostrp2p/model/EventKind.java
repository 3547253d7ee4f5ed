package org.nostrp2p.model;

import java.util.Optional;
import java.util.Set;

/**
 * The event kinds NostrP2P knows, each with who it is for and whether only an author's newest
 * one counts. The one place these protocol constants are defined: a new kind is one more
 * constant here (and a line in the store's and server's documentation), not edits in eight files.
 *
 * <p>A kind 1 event's audience depends on its tags: a post or quote repost is for every server,
 * a reply or mention (p tags, no q tag) only for the tagged users' servers; see
 * {@link #audienceOf(Event)}.
 */
public enum EventKind {
    /** Kind 0: the author's profile; replaceable; broadcast. */
    PROFILE(0, true, Audience.EVERY_SERVER),
    /** Kind 1: a post, quote repost (a {@code q} tag), reply or mention. */
    POST(1, false, Audience.EVERY_SERVER),
    /** Kind 3: the author's follow list; replaceable; kept on the author's server. */
    FOLLOW_LIST(3, true, Audience.OWN_SERVER),
    /** Kind 6: a repost; broadcast. */
    REPOST(6, false, Audience.EVERY_SERVER),
    /** Kind 7: a like; for the liked author's server only. */
    LIKE(7, false, Audience.TAGGED_USERS);

    /**
     * The request kind a server broadcasts to ask every server for its recent events
     * (catch-up), and the kind a client's {@code /req} names for its timeline. Not an event kind.
     */
    public static final int RECENT_EVENTS = 40000;

    /** The kinds of which a store keeps only each author's newest event. */
    public static final Set<Integer> REPLACEABLE_KINDS = Set.of(PROFILE.number, FOLLOW_LIST.number);

    /** Who an event is for. */
    public enum Audience {
        /** Broadcast to every server. */
        EVERY_SERVER,
        /** Unicast to the servers of the users its {@code p} tags name. */
        TAGGED_USERS,
        /** Kept on its author's server; sent only when asked for. */
        OWN_SERVER
    }

    private final int number;
    private final boolean replaceable;
    private final Audience audience;

    EventKind(int number, boolean replaceable, Audience audience) {
        this.number = number;
        this.replaceable = replaceable;
        this.audience = audience;
    }

    /** @return the kind number on the wire */
    public int number() {
        return number;
    }

    /** @return whether only each author's newest event of this kind is kept */
    public boolean replaceable() {
        return replaceable;
    }

    /** @return whether events of kind {@code number} are replaceable */
    public static boolean isReplaceable(int number) {
        return REPLACEABLE_KINDS.contains(number);
    }

    /** @return the known kind of this number, or empty for a kind NostrP2P does not use */
    public static Optional<EventKind> of(int number) {
        for (EventKind kind : values()) {
            if (kind.number == number) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /**
     * Who an event is for: a kind 1 event that tags users and is not a quote repost is for the
     * tagged users' servers; any other event the kind's audience; an unknown kind (relayed
     * by newer servers) every server.
     *
     * @param event the event
     * @return its audience
     */
    public static Audience audienceOf(Event event) {
        Optional<EventKind> kind = of(event.kind());
        if (kind.isEmpty()) {
            return Audience.EVERY_SERVER;
        }
        if (kind.get() == POST) {
            boolean quote = event.tags().stream().anyMatch(t -> !t.isEmpty() && t.get(0).equals("q"));
            return !quote && !Events.taggedUsers(event).isEmpty() ? Audience.TAGGED_USERS : Audience.EVERY_SERVER;
        }
        return kind.get().audience;
    }
}
