package org.nostrp2p.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.model.Event;
import org.nostrp2p.overlay.name.PeerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices the same identity running on two servers: a packet whose source is this server's
 * own peer name, a broadcast post by this server's own user that was not published here
 * (said in the log at most once per {@link #REPEAT}), or the overlay's topology showing one
 * peer name with two UIDs (a name collision: logged once when it starts and once when it ends).
 * While a user's name collides, unicasts for that user are held ({@link #isHeld}): sent to
 * whichever of the two answers they could reach an impostor; they wait in the resend queue
 * and go once the collision is resolved. Thread-safe.
 */
final class IdentityWatch {

    static final Duration REPEAT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(IdentityWatch.class);

    private final Clock clock;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong warnings = new AtomicLong();

    private final Set<PeerName> collisions = ConcurrentHashMap.newKeySet();
    private final PeerName self;

    IdentityWatch(Clock clock, PeerName self) {
        this.self = self;
        this.clock = clock;
    }

    void ownNameSeen(PeerName self) {
        warn("Received a packet from a peer named {} — this server's own name: another server is running with the same public key. "
                + "Run one server per key.", self);
    }

    void ownEventFromElsewhere(Event event, PeerName relayedBy) {
        warn("Received a post by this server's own user (id " + event.idHex() + ", broadcast by {}) that was not published here: "
                + "is the same identity running on another server too?", relayedBy);
    }

    /**
     * The topology shows two peers named {@code name}.
     *
     * @return whether this is news (a collision not known already)
     */
    boolean nameCollision(PeerName name) {
        if (!collisions.add(name)) {
            return false;
        }
        if (name.equals(self)) {
            warnings.incrementAndGet();
            LOG.warn("Another server in the overlay has this server's peer name {}: the same public key runs twice, or someone "
                    + "pretends to be this user's server. Run one server per key; see the operator's guide, 'Duplicate identity'.", name);
        } else {
            LOG.warn("Two servers in the overlay claim the peer name {}: replies, mentions and likes for that user are held "
                    + "until only one remains", name);
        }
        return true;
    }

    /**
     * The topology shows one peer named {@code name} again.
     *
     * @return whether it was colliding
     */
    boolean nameCollisionResolved(PeerName name) {
        if (!collisions.remove(name)) {
            return false;
        }
        LOG.warn("The peer name {} is unique again{}", name, name.equals(self) ? "" : "; held unicasts for that user are sent now");
        return true;
    }

    /** @return the peer names that collide now */
    Set<PeerName> collisions() {
        return Set.copyOf(collisions);
    }

    /** @return whether unicasts to {@code server} are held: its name collides */
    boolean isHeld(PeerName server) {
        return !collisions.isEmpty() && collisions.contains(server);
    }

    /** @return how many times a second server with this identity was noticed */
    long warnings() {
        return warnings.get();
    }

    private void warn(String message, PeerName peer) {
        warnings.incrementAndGet();
        long now = clock.millis();
        long last = lastWarning.get();
        if (now - last >= REPEAT.toMillis() && lastWarning.compareAndSet(last, now)) {
            LOG.warn(message, peer);
        }
    }
}
