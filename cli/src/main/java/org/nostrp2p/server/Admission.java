package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nostrp2p.model.Event;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Whether an event a neighbour relayed is admitted, by that neighbour's budget (issue 12): a
 * broadcast's source can be forged by the neighbour that relays it, so the neighbour is what is
 * charged. Events by the owner and by authors the owner follows are always admitted; others
 * spend a token of the neighbour's bucket ({@link #UNFOLLOWED_EVENTS_PER_SECOND} a second,
 * {@link #UNFOLLOWED_BURST} saved up). After this server asks for recent events (catch-up),
 * unicasts draw first on an allowance of {@link #CATCH_UP_ALLOWANCE} events per neighbour for
 * {@link #CATCH_UP_WINDOW}: answers asked for are not spam. A neighbour that relayed more than
 * {@link #FORGED_BURST} events failing verification (then more than {@link #FORGED_PER_SECOND}
 * a second) has nothing admitted until its forgery budget refills: claiming a followed author
 * must not buy unlimited signature checks. Thread-safe.
 */
final class Admission {

    /** Events a second by authors the owner does not follow, per neighbour, sustained. */
    static final double UNFOLLOWED_EVENTS_PER_SECOND = 50;
    /** ...and at once. */
    static final int UNFOLLOWED_BURST = 500;
    /** Events per neighbour admitted in unicasts after a catch-up request: a few full answers. */
    static final int CATCH_UP_ALLOWANCE = 10_000;
    /** How long after a catch-up request its answers are expected. */
    static final Duration CATCH_UP_WINDOW = Duration.ofMinutes(2);
    /** Events failing verification one neighbour may relay a second... */
    static final double FORGED_PER_SECOND = 1;
    /** ...and at once, before everything it relays is dropped unverified. */
    static final int FORGED_BURST = 20;
    /** Neighbours tracked: well over mesh's connection limit of 64. */
    static final int MAX_NEIGHBOURS = 1024;

    private final Clock clock;
    private final FollowedAuthors followed;
    private final TokenBuckets unfollowed;
    private final TokenBuckets forged;
    private final Map<PeerName, Integer> catchUpLeft = new LinkedHashMap<>();
    private long catchUpUntilMillis = Long.MIN_VALUE;

    Admission(Clock clock, FollowedAuthors followed, double eventsPerSecond, int burst) {
        this.clock = clock;
        this.followed = followed;
        this.unfollowed = new TokenBuckets(clock, eventsPerSecond, burst, MAX_NEIGHBOURS);
        this.forged = new TokenBuckets(clock, FORGED_PER_SECOND, FORGED_BURST, MAX_NEIGHBOURS);
    }

    /** {@code neighbour} relayed an event whose id or signature is invalid. */
    void failedVerification(PeerName neighbour) {
        forged.take(neighbour);
    }

    /**
     * @param neighbour the peer the event came from (its relayer, not its claimed source)
     * @param unicast   whether it came in a unicast (a catch-up answer may)
     * @return whether the event is admitted; if not, it is dropped unverified
     */
    boolean admit(PeerName neighbour, Event event, boolean unicast) {
        if (!forged.has(neighbour)) {
            return false;
        }
        if (followed.contains(event)) {
            return true;
        }
        if (unicast && drawCatchUpAllowance(neighbour)) {
            return true;
        }
        return unfollowed.take(neighbour);
    }

    /** This server just asked every server for its recent events: their answers are expected. */
    synchronized void catchUpRequested() {
        catchUpLeft.clear();
        catchUpUntilMillis = clock.millis() + CATCH_UP_WINDOW.toMillis();
    }

    private synchronized boolean drawCatchUpAllowance(PeerName neighbour) {
        if (clock.millis() > catchUpUntilMillis) {
            return false;
        }
        int left = catchUpLeft.getOrDefault(neighbour, CATCH_UP_ALLOWANCE);
        if (left <= 0 || (!catchUpLeft.containsKey(neighbour) && catchUpLeft.size() >= MAX_NEIGHBOURS)) {
            return false;
        }
        catchUpLeft.put(neighbour, left - 1);
        return true;
    }
}
