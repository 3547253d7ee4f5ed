package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;

/**
 * Beyond mesh: the versions of peers' entries this peer has heard of and not received, and
 * when to want each from whom (the graft half of {@link TopologyNews}'s lazy push). A version
 * is heard of from a neighbour's <em>have</em>, or, for a peer known here only by name, from a
 * neighbour's entry that links to it. It is wanted from the neighbour that told of it once the
 * first wait has passed (an eager link usually brings it sooner), then again every
 * {@link #WANT_AGAIN_MILLIS} from whichever neighbour has it then, at most {@link #MAX_WANTS}
 * times; after that the periodic round is left to bring it. At most {@link Peers#MAX_PEERS}
 * versions are held, so a neighbour that announces invented names cannot grow it without end.
 *
 * <p>Confined to the router's actor thread. {@code S} is what identifies a neighbour.
 *
 * @param <S> a neighbour
 */
final class MissingVersions<S> {

    /**
     * How long a want may go unanswered before the version is wanted again (the neighbour
     * asked may have closed the link): a neighbour that announced a version records this peer
     * as having it, so without a want it would not send it.
     */
    static final long WANT_AGAIN_MILLIS = 1_000;
    /** How many times a version is wanted before it is left to the periodic round. */
    static final int MAX_WANTS = 5;

    /**
     * A version heard of: wanted from {@code from} once the first wait after {@code sinceNanos}
     * has passed, and {@code wants} times so far.
     *
     * @param <S> a neighbour
     */
    record Missing<S>(S from, long uid, long version, long sinceNanos, int wants) {
    }

    private final Map<PeerName, Missing<S>> missing = new LinkedHashMap<>();

    /**
     * {@code from} has {@code name}'s entry at (uid, version), which this peer lacks or has
     * older. Of two announcements the newer version is kept, from its announcer, waited for
     * since the first.
     */
    void announced(S from, PeerName name, long uid, long version, long nowNanos) {
        Missing<S> before = missing.get(name);
        if (before == null) {
            if (missing.size() < Peers.MAX_PEERS) {
                missing.put(name, new Missing<>(from, uid, version, nowNanos, 0));
            }
        } else if (Peers.newer(uid, version, before.uid(), before.version())) {
            missing.put(name, new Missing<>(from, uid, version, before.sinceNanos(), before.wants()));
        }
    }

    /** {@code from}'s entries link to {@code name}, which this peer knows only by name: any entry of it is wanted. */
    void named(S from, PeerName name, long nowNanos) {
        if (!missing.containsKey(name) && missing.size() < Peers.MAX_PEERS) {
            missing.put(name, new Missing<>(from, 0, 0, nowNanos, 0));
        }
    }

    boolean isEmpty() {
        return missing.isEmpty();
    }

    int size() {
        return missing.size();
    }

    /**
     * Takes the wants due at {@code nowNanos}, by neighbour. A version that has {@code arrived}
     * is forgotten; one whose wait is over is wanted from {@code holder} (given the version,
     * the neighbour to ask, or null when none has it: then it is forgotten), and forgotten once
     * wanted {@link #MAX_WANTS} times.
     *
     * @param firstWaitMillis how long after it is heard of a version is first wanted
     */
    Map<S, List<PeerName>> due(long nowNanos, long firstWaitMillis, BiPredicate<PeerName, Missing<S>> arrived,
                               BiFunction<PeerName, Missing<S>, S> holder) {
        Map<S, List<PeerName>> wants = new HashMap<>();
        for (var it = missing.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PeerName, Missing<S>> entry = it.next();
            Missing<S> m = entry.getValue();
            if (arrived.test(entry.getKey(), m)) {
                it.remove();
                continue;
            }
            long wait = TimeUnit.MILLISECONDS.toNanos(firstWaitMillis + m.wants() * WANT_AGAIN_MILLIS);
            if (nowNanos - m.sinceNanos() < wait) {
                continue;
            }
            S from = holder.apply(entry.getKey(), m);
            if (from == null || m.wants() + 1 >= MAX_WANTS) {
                it.remove();
            } else {
                entry.setValue(new Missing<>(from, m.uid(), m.version(), m.sinceNanos(), m.wants() + 1));
            }
            if (from != null) {
                wants.computeIfAbsent(from, s -> new ArrayList<>()).add(entry.getKey());
            }
        }
        return wants;
    }
}
