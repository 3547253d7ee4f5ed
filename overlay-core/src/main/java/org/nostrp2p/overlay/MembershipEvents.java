package org.nostrp2p.overlay;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.nostrp2p.overlay.name.PeerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link MembershipListener} events on one thread, and works out which peers joined
 * or left by comparing the reachable peers of successive routing states (only while someone
 * listens). Also keeps the names currently seen with two live UIDs. Thread-safe.
 */
final class MembershipEvents {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipEvents.class);
    /** How long a name stays listed as colliding after the last sign of the collision. */
    static final long COLLISION_MEMORY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private final String threadName;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ExecutorService thread;
    // Actor thread only: the reachable peers last reported, and collision evidence.
    private Set<PeerName> reachable = Set.of();
    private final Map<PeerName, Long> collidingSince = new HashMap<>();
    private volatile Set<PeerName> colliding = Set.of();

    MembershipEvents(PeerName name) {
        this.threadName = "overlay-" + name + "-events";
    }

    boolean listening() {
        return !listeners.isEmpty();
    }

    synchronized void add(MembershipListener listener) {
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
        listeners.add(listener);
    }

    void remove(MembershipListener listener) {
        listeners.remove(listener);
    }

    synchronized void stop() {
        if (thread != null) {
            thread.shutdown();
        }
    }

    /** Actor thread: compares the reachable peers now with those last reported. */
    void reachableNow(Map<PeerName, PeerName> unicastTable, PeerName self, java.util.function.Function<PeerName, String> nick) {
        Set<PeerName> now = new HashSet<>(unicastTable.keySet());
        now.remove(self);
        Set<PeerName> before = reachable;
        reachable = now;
        for (PeerName peer : now) {
            if (!before.contains(peer)) {
                String nickName = nick.apply(peer);
                fire(l -> l.peerJoined(peer, nickName));
            }
        }
        for (PeerName peer : before) {
            if (!now.contains(peer)) {
                fire(l -> l.peerLeft(peer));
            }
        }
    }

    void connectionUp(PeerName peer, String address, boolean outbound) {
        fire(l -> l.connectionUp(peer, address, outbound));
    }

    void connectionDown(PeerName peer, String address, String reason) {
        fire(l -> l.connectionDown(peer, address, reason));
    }

    /** Actor thread: evidence that two live peers use {@code name}. */
    void collision(PeerName name, long uid, long otherUid) {
        long now = System.nanoTime();
        Long since = collidingSince.put(name, now);
        refreshColliding(now);
        if (since == null) {
            LOG.warn("two live peers use the name {}: UIDs {} and {}", name, Long.toUnsignedString(uid),
                    Long.toUnsignedString(otherUid));
            fire(l -> l.nameCollision(name, uid, otherUid));
        }
    }

    /** @return names seen with two live UIDs in the last minute; any thread */
    Set<PeerName> colliding() {
        Set<PeerName> names = colliding;
        return names;
    }

    /** Actor thread: forgets collisions not seen for a minute. */
    void expire() {
        refreshColliding(System.nanoTime());
    }

    private void refreshColliding(long now) {
        collidingSince.values().removeIf(t -> now - t > COLLISION_MEMORY_NANOS);
        colliding = Set.copyOf(collidingSince.keySet());
    }

    private void fire(Consumer<MembershipListener> event) {
        ExecutorService t = thread;
        if (t == null || listeners.isEmpty()) {
            return;
        }
        try {
            t.execute(() -> {
                for (MembershipListener listener : listeners) {
                    try {
                        event.accept(listener);
                    } catch (RuntimeException e) {
                        LOG.warn("a membership listener failed", e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped
        }
    }
}
