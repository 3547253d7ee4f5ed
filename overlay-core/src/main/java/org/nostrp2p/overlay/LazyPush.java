package org.nostrp2p.overlay;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peer;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;

/**
 * The lazy half of topology news between Java peers (Plumtree's lazy push, Leitão et al. 2007),
 * beside the eager sending {@link TopologyNews} does. A neighbour that receives topology
 * messages mostly made of entries it already has {@linkplain TopologyDigest.Kind#PRUNE prunes}
 * the link, and from then on each end announces news to the other with a
 * {@linkplain TopologyDigest.Kind#HAVE have} (name, UID, version: ~17 bytes) instead of the entry
 * (~240). A version heard of by a have, or a peer named only as a placeholder in an entry that
 * was news, and still not here {@link TopologyNews#GRAFT_WAIT_MILLIS} later is
 * {@linkplain TopologyDigest.Kind#WANT wanted} from the neighbour that told of it, which makes
 * the link eager again both ways (the graft). A peer keeps at least a few links eager itself
 * ({@link TopologyNews#MIN_EAGER_LINKS}); a Go neighbour is never pruned.
 *
 * <p>Shares the per-neighbour records with {@link TopologyNews}, which sends what they say
 * lacks. Confined to the router's actor.
 */
final class LazyPush {

    /** How this sends a message on the topology digest channel, and asks for news to be sent. */
    interface Out {
        /** Sends {@code message} on the digest channel to {@code connection} (unless it is closing). */
        void digest(Connection connection, byte[] message);

        /** News is pending for some neighbour: flush within the merge window. */
        void flushSoon();

        /** A neighbour wanted news and has waited for it already: flush at once. */
        void flushNow();

        /**
         * Runs {@code task} on the actor after {@code delayMillis}.
         *
         * @return false when the actor no longer takes tasks (the router is stopping)
         */
        boolean later(Runnable task, long delayMillis);
    }

    private final PeerName self;
    private final Peers peers;
    private final Map<Connection, TopologyLink> links;
    private final RouterCounters counters;
    private final Out out;
    private final boolean enabled;
    private final int minEagerLinks;
    private final long graftWaitMillis;
    /** Versions heard of (by a have, or a placeholder named) and not yet received. */
    private final MissingVersions<Connection> missing = new MissingVersions<>();
    private boolean missingCheckScheduled;
    private volatile boolean stopped;

    /**
     * @param links           the per-neighbour records, shared with {@link TopologyNews}
     * @param enabled         false: every link stays eager (no prune is ever sent)
     * @param minEagerLinks   the fewest links this peer keeps eager itself
     * @param graftWaitMillis how long a version announced may take to arrive before it is wanted
     */
    LazyPush(PeerName self, Peers peers, Map<Connection, TopologyLink> links, RouterCounters counters, Out out,
             boolean enabled, int minEagerLinks, long graftWaitMillis) {
        this.self = self;
        this.peers = peers;
        this.links = links;
        this.counters = counters;
        this.out = out;
        this.enabled = enabled;
        this.minEagerLinks = minEagerLinks;
        this.graftWaitMillis = graftWaitMillis;
    }

    /** @return whether links may be pruned to haves at all (false: every neighbour gets entries) */
    boolean enabled() {
        return enabled;
    }

    /** @return whether news for {@code link} goes as haves, not entries: a pruned Java neighbour */
    boolean announces(TopologyLink link) {
        return enabled && !link.eager && link.connection.remoteIsJava();
    }

    /**
     * After applying a topology message from {@code from}: when most of its entries were
     * already here ({@code fresh} of {@code entries} were news), the link is redundant for
     * news: prune it (each end sends the other haves from now on). A Go neighbour is never pruned.
     */
    void receivedEntries(Connection from, int entries, int fresh) {
        if (!enabled || entries - fresh <= fresh) {
            return;
        }
        TopologyLink link = links.get(from);
        if (link == null || !link.eager || !from.remoteIsJava() || from.closing()) {
            return;
        }
        int eager = 0;
        for (TopologyLink l : links.values()) {
            eager += l.eager ? 1 : 0;
        }
        if (eager <= minEagerLinks) {
            return;
        }
        link.eager = false;
        counters.topologyPrunes.increment();
        out.digest(from, TopologyDigest.prune());
    }

    /** A Java neighbour pruned the link: it gets haves instead of entries until it wants one. */
    void receivedPrune(Connection from) {
        TopologyLink link = links.get(from);
        if (link != null) {
            link.eager = false;
        }
    }

    /**
     * A Java neighbour wants these entries (it lacks them or has them older): they go as news,
     * and the link is eager again (Plumtree's graft).
     */
    void receivedWant(Connection from, List<PeerName> names) {
        TopologyLink link = links.get(from);
        if (link == null) {
            return;
        }
        link.eager = true;
        for (PeerName name : names) {
            link.known.remove(name);
            link.pending.add(name);
        }
        if (!link.pending.isEmpty()) {
            out.flushNow();
        }
    }

    /**
     * A Java neighbour announced these versions: it has them. Those this peer lacks are wanted
     * from it if no eager link brings them within the graft wait; those it has older go to it
     * as news.
     */
    void receivedHave(Connection from, List<TopologyDigest.Entry> entries) {
        TopologyLink link = links.get(from);
        if (link == null) {
            return;
        }
        long now = System.nanoTime();
        for (TopologyDigest.Entry e : entries) {
            if (e.uid() == 0) {
                continue;
            }
            link.remember(e.name(), e.uid(), e.version());
            Peer ours = peers.fetch(e.name());
            if (ours == null || ours.uid() == 0 || Peers.newer(e.uid(), e.version(), ours.uid(), ours.version())) {
                missing.announced(from, e.name(), e.uid(), e.version(), now);
            } else if (Peers.newer(ours.uid(), ours.version(), e.uid(), e.version())) {
                link.pending.add(e.name());
            }
        }
        if (!missing.isEmpty()) {
            scheduleMissingCheck();
        }
        if (!link.pending.isEmpty()) {
            out.flushSoon();
        }
    }

    /**
     * After applying a topology message from a Java neighbour: peers that its entries which
     * were news here ({@code fresh}; the others were looked at when they were) link to, and
     * that this peer knows only by name (placeholders), are wanted from it if their entries do
     * not come within the graft wait. An entry this peer received while it could not reach the
     * peer was collected at once, and the neighbours that sent or announced it record that this
     * peer has it: without a want it would come back only with the periodic round.
     */
    void placeholdersNamed(Connection from, List<PeerUpdate> updates, Set<PeerName> fresh) {
        if (fresh.isEmpty() || !from.remoteIsJava() || !links.containsKey(from)) {
            return;
        }
        long now = System.nanoTime();
        for (PeerUpdate update : updates) {
            if (!fresh.contains(update.peer().name())) {
                continue;
            }
            for (ConnectionSummary connection : update.connections()) {
                PeerName name = connection.name();
                Peer peer = peers.fetch(name);
                if (peer != null && peer.uid() == 0 && !name.equals(self)) {
                    missing.named(from, name, now);
                }
            }
        }
        if (!missing.isEmpty()) {
            scheduleMissingCheck();
        }
    }

    /** No more checks are scheduled. */
    void stop() {
        stopped = true;
    }

    // Versions heard of and still not here after the wait are wanted from the neighbour that
    // told of them (or another known to have them, if it has gone), and that link becomes eager.
    private void checkMissing() {
        missingCheckScheduled = false;
        if (stopped) {
            return;
        }
        Map<Connection, List<PeerName>> wants = missing.due(System.nanoTime(), graftWaitMillis, this::arrived, this::holder);
        for (Map.Entry<Connection, List<PeerName>> want : wants.entrySet()) {
            TopologyLink link = links.get(want.getKey());
            link.eager = true;
            counters.topologyGrafts.increment();
            out.digest(link.connection, TopologyDigest.want(want.getValue()));
        }
        if (!missing.isEmpty()) {
            scheduleMissingCheck();
        }
    }

    private boolean arrived(PeerName name, MissingVersions.Missing<Connection> m) {
        Peer ours = peers.fetch(name);
        return ours != null && ours.uid() != 0 && !Peers.newer(m.uid(), m.version(), ours.uid(), ours.version());
    }

    // The neighbour that told of it if its link is still open, else one whose record has the
    // version (it sent it or announced it); null if none has.
    private Connection holder(PeerName name, MissingVersions.Missing<Connection> m) {
        if (links.containsKey(m.from()) && !m.from().closing()) {
            return m.from();
        }
        for (TopologyLink link : links.values()) {
            if (!link.lacks(name, m.uid(), m.version()) && !link.connection.closing()) {
                return link.connection;
            }
        }
        return null;
    }

    private void scheduleMissingCheck() {
        if (missingCheckScheduled || stopped) {
            return;
        }
        missingCheckScheduled = out.later(this::checkMissing, graftWaitMillis);
    }
}
