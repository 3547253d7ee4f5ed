package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peer;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * How topology news leaves this peer (the sending half of mesh's topology gossip, redone for
 * scale): for each neighbour, a record of the (UID, version) of every peer the neighbour is
 * known to have, because it sent it to us or we sent it to it, and the names of peers with
 * news for it. News, however this peer learnt it, goes only to the neighbours whose record
 * lacks it, merged over {@link #MERGE_MILLIS}, encoded from the topology as it is when sent,
 * once for all neighbours that need the same peers. A peer this one cannot reach yet waits
 * for the news that makes it reachable (a receiver would collect it at once, as mesh does,
 * and the record would wrongly say it has it); this peer's own entry goes first. This peer's own entry goes as a tag 6
 * broadcast (what mesh 2018 and 2019 peers relay along this peer's tree); everything else
 * as tag 4 gossip, which every mesh version applies and passes on.
 *
 * <p>Sending each piece of news to every neighbour not known to have it, rather than along
 * broadcast trees computed from views that differ while links change, is what makes the
 * overlay converge without periodic gossip. Periodic gossip ({@link #periodic}) is filtered
 * the same way; every {@link #SAFETY_NET_ROUNDS}th round one random neighbour gets a safety net
 * for a record that is wrong: a Java peer a digest of versions ({@link TopologyDigest}), from
 * which it asks for what it lacks, a Go peer the whole topology unfiltered.
 *
 * <p>Confined to the router's actor thread, as the {@link Peers} it reads.
 */
final class TopologyNews {

    /** The topology channel's name on the wire. */
    static final String CHANNEL = "topology";
    /** How long news waits for more to go in the same message to a neighbour. */
    static final long MERGE_MILLIS = 50;
    /** Every how many periodic rounds one neighbour gets the unfiltered topology. */
    static final int SAFETY_NET_ROUNDS = 6;
    /** The most peers described in one message, so a full dump stays far below the frame limit. */
    static final int MAX_PEERS_PER_MESSAGE = 2_000;

    private final PeerName self;
    private final Peers peers;
    private final ScheduledExecutorService actor;
    private final Runnable onActor;
    private final java.util.function.Supplier<Map<PeerName, PeerName>> reachable;
    private final RouterCounters counters;
    private final Map<Connection, Link> links = new HashMap<>();
    private boolean flushScheduled;
    private int periodicRounds;
    private volatile boolean stopped;

    /** What one neighbour is known to have, and what news waits for it. */
    private static final class Link {
        final Connection connection;
        final Map<PeerName, Known> known = new HashMap<>();
        final Set<PeerName> pending = new LinkedHashSet<>();

        Link(Connection connection) {
            this.connection = connection;
        }
    }

    private record Known(long uid, long version) {
    }

    /**
     * @param self     this peer's name
     * @param peers    the topology, read on the actor
     * @param actor    the router's actor, on which flushes are scheduled
     * @param flush    submits a task to the actor with its error handling
     * @param counters where sent topology messages are counted
     * @param reachable the peers reachable from this one now (over any link), from the latest topology
     */
    TopologyNews(PeerName self, Peers peers, ScheduledExecutorService actor, java.util.function.Consumer<Runnable> flush,
                 RouterCounters counters, java.util.function.Supplier<Map<PeerName, PeerName>> reachable) {
        this.reachable = reachable;
        this.self = self;
        this.peers = peers;
        this.actor = actor;
        this.onActor = () -> flush.accept(this::flush);
        this.counters = counters;
    }

    /** A connection was registered; {@code dump}: send it the whole topology (a new or restarted peer). */
    void linkAdded(Connection connection, boolean dump) {
        Link link = new Link(connection);
        links.put(connection, link);
        if (dump) {
            link.pending.addAll(peers.names());
        }
        schedule();
    }

    void linkRemoved(Connection connection) {
        links.remove(connection);
    }

    /**
     * Records what {@code from} sent: it has these entries, or later ones of the same incarnation
     * (see {@link #remember}). Call before applying them.
     */
    void received(Connection from, List<PeerUpdate> updates) {
        Link link = links.get(from);
        if (link == null) {
            return;
        }
        for (PeerUpdate update : updates) {
            if (update.peer().uid() != 0) {
                remember(link, update.peer().name(), update.peer().uid(), update.peer().version());
            }
        }
    }

    /** After applying what {@code from} sent: tell it where it was behind us. */
    void correct(Connection from, List<PeerUpdate> updates) {
        Link link = links.get(from);
        if (link == null) {
            return;
        }
        for (PeerUpdate update : updates) {
            Peer stored = peers.fetch(update.peer().name());
            if (stored != null && stored.uid() != 0
                    && newer(stored.uid(), stored.version(), update.peer().uid(), update.peer().version())) {
                link.pending.add(stored.name());
            }
        }
        if (!link.pending.isEmpty()) {
            schedule();
        }
    }

    /** These peers' entries changed here: tell every neighbour that lacks them. */
    void news(Collection<PeerName> names) {
        if (names.isEmpty() || links.isEmpty()) {
            return;
        }
        boolean others = false;
        for (PeerName name : names) {
            others = true;
            for (Link link : links.values()) {
                link.pending.add(name);
            }
        }
        if (others) {
            schedule();
        }
    }

    /** Peers collected as unreachable: forget what neighbours had of them (a return is news). */
    void forget(Collection<Peer> removed) {
        for (Link link : links.values()) {
            for (Peer peer : removed) {
                link.known.remove(peer.name());
                link.pending.remove(peer.name());
            }
        }
    }

    /**
     * Periodic anti-entropy: whatever a neighbour is not known to have; every
     * {@link #SAFETY_NET_ROUNDS}th round, one random neighbour gets, if it is a Java peer, a
     * digest of every version ({@link TopologyDigest}), otherwise the whole topology.
     */
    void periodic() {
        if (links.isEmpty()) {
            return;
        }
        Set<PeerName> all = peers.names();
        List<Link> list = new ArrayList<>(links.values());
        if (++periodicRounds % SAFETY_NET_ROUNDS == 0) {
            Link chosen = list.get(ThreadLocalRandom.current().nextInt(list.size()));
            if (chosen.connection.remoteIsJava()) {
                sendDigest(chosen, all);
            } else {
                chosen.known.clear();
            }
        }
        for (Link link : list) {
            link.pending.addAll(all);
        }
        schedule();
    }

    private void sendDigest(Link link, Set<PeerName> names) {
        List<TopologyDigest.Entry> entries = new ArrayList<>(names.size());
        for (PeerName name : names) {
            Peer peer = peers.fetch(name);
            if (peer != null && peer.uid() != 0) {
                entries.add(new TopologyDigest.Entry(name, peer.uid(), peer.version()));
            }
        }
        sendOnDigestChannel(link.connection, TopologyDigest.digest(entries));
    }

    private void sendOnDigestChannel(Connection connection, byte[] message) {
        if (connection.closing()) {
            return;
        }
        byte[] payload = WireCodec.encodeGossip(new GossipFrame(TopologyDigest.CHANNEL, self, message));
        connection.send(ProtocolTag.GOSSIP, payload);
        counters.topologySent(connection, payload.length + 1);
    }

    /**
     * A Java neighbour's digest: what it has is remembered; entries it lacks or has older go to
     * it as news; a want goes back for the ones it has newer or this peer lacks.
     */
    void receivedDigest(Connection from, List<TopologyDigest.Entry> entries) {
        Link link = links.get(from);
        if (link == null) {
            return;
        }
        List<PeerName> wanted = new ArrayList<>();
        Set<PeerName> described = new java.util.HashSet<>(entries.size() * 2);
        for (TopologyDigest.Entry e : entries) {
            described.add(e.name());
            if (e.uid() == 0) {
                continue;
            }
            Peer ours = peers.fetch(e.name());
            if (ours == null || ours.uid() == 0 || newer(e.uid(), e.version(), ours.uid(), ours.version())) {
                wanted.add(e.name());
            } else {
                // a digest is everything the neighbour has now: what it says replaces the record,
                // even where the record was higher (the neighbour has collected the peer since)
                link.known.put(e.name(), new Known(e.uid(), e.version()));
                if (newer(ours.uid(), ours.version(), e.uid(), e.version())) {
                    link.pending.add(e.name());
                }
            }
        }
        for (PeerName name : peers.names()) {
            if (!described.contains(name)) {
                link.known.remove(name);
                link.pending.add(name);
            }
        }
        if (!wanted.isEmpty()) {
            sendOnDigestChannel(from, TopologyDigest.want(wanted));
        }
        if (!link.pending.isEmpty()) {
            schedule();
        }
    }

    /** A Java neighbour wants these entries (it lacks them or has them older): they go as news. */
    void receivedWant(Connection from, List<PeerName> names) {
        Link link = links.get(from);
        if (link == null) {
            return;
        }
        for (PeerName name : names) {
            link.known.remove(name);
            link.pending.add(name);
        }
        if (!link.pending.isEmpty()) {
            schedule();
        }
    }

    void stop() {
        stopped = true;
    }

    private void schedule() {
        if (flushScheduled || stopped) {
            return;
        }
        flushScheduled = true;
        try {
            actor.schedule(onActor, MERGE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            flushScheduled = false;
        }
    }

    private void flush() {
        flushScheduled = false;
        if (stopped) {
            return;
        }
        byte[] ownBroadcast = null;
        Map<List<PeerName>, List<byte[]>> encoded = new HashMap<>();
        Map<PeerName, PeerName> reachableNow = null;
        for (Link link : links.values()) {
            if (link.pending.isEmpty()) {
                continue;
            }
            if (reachableNow == null) {
                reachableNow = reachable.get();
            }
            boolean own = false;
            List<PeerName> others = new ArrayList<>();
            List<PeerName> later = new ArrayList<>();
            for (PeerName name : link.pending) {
                Peer peer = peers.fetch(name);
                if (peer == null || peer.uid() == 0) {
                    continue; // gone, or a placeholder: nothing to tell
                }
                if (!reachableNow.containsKey(name)) {
                    // A peer this one cannot reach yet (its links are still news on the way):
                    // a receiver would collect it at once, as mesh does, while we would believe
                    // it had it. It goes with the news that makes it reachable.
                    later.add(name);
                    continue;
                }
                Known known = link.known.get(name);
                if (known != null && !newer(peer.uid(), peer.version(), known.uid, known.version)) {
                    continue;
                }
                link.known.put(name, new Known(peer.uid(), peer.version()));
                if (name.equals(self)) {
                    own = true;
                } else {
                    others.add(name);
                }
            }
            link.pending.clear();
            link.pending.addAll(later);
            Connection connection = link.connection;
            if (connection.closing()) {
                continue;
            }
            if (own) {
                if (ownBroadcast == null) {
                    ownBroadcast = frame(List.of(self));
                }
                connection.send(ProtocolTag.GOSSIP_BROADCAST, ownBroadcast);
                counters.topologySent(connection, ownBroadcast.length + 1);
            }
            if (!others.isEmpty()) {
                others.sort(null);
                counters.topologyEntriesSent.add(others.size());
                for (byte[] payload : encoded.computeIfAbsent(others, this::frames)) {
                    connection.send(ProtocolTag.GOSSIP, payload);
                    counters.topologySent(connection, payload.length + 1);
                }
            }
        }
    }

    private List<byte[]> frames(List<PeerName> names) {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < names.size(); from += MAX_PEERS_PER_MESSAGE) {
            out.add(frame(names.subList(from, Math.min(names.size(), from + MAX_PEERS_PER_MESSAGE))));
        }
        return out;
    }

    private byte[] frame(List<PeerName> names) {
        byte[] topology = WireCodec.encodeTopology(peers.encode(new LinkedHashSet<>(names)));
        return WireCodec.encodeGossip(new GossipFrame(CHANNEL, self, topology));
    }

    // A neighbour collects the peers it can no longer reach (mesh at once, a Java router 100 ms
    // after a change), so what it has can fall below what this peer recorded; an entry it sends under
    // another UID shows that it did: it dropped the incarnation recorded and learnt another one,
    // which, at the same version, may rank below the recorded one. That entry replaces the
    // record, so that correct() sends the one that ranks higher (and a restarted peer, told its
    // old entry, moves its version beyond it). Of one incarnation the record keeps the highest
    // version: a lower one sent is mostly news crossing ours on the way, not a loss.
    private static void remember(Link link, PeerName name, long uid, long version) {
        Known known = link.known.get(name);
        if (known == null || known.uid != uid || newer(uid, version, known.uid, known.version)) {
            link.known.put(name, new Known(uid, version));
        }
    }

    // Mesh's order of entries: a higher version, or the same version and a higher UID.
    private static boolean newer(long uid, long version, long thanUid, long thanVersion) {
        int byVersion = Long.compareUnsigned(version, thanVersion);
        return byVersion > 0 || (byVersion == 0 && Long.compareUnsigned(uid, thanUid) > 0);
    }
}
