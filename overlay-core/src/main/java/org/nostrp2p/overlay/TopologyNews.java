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
import org.nostrp2p.overlay.wire.TopologyEntry;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * How topology news leaves this peer (the sending half of mesh's topology gossip, redone for
 * scale): for each neighbour, a record of the (UID, version) of every peer the neighbour is
 * known to have, because it sent it to us or we sent it to it, and the names of peers with
 * news for it. News, however this peer learnt it, goes only to the neighbours whose record
 * lacks it, merged over {@link #MERGE_MILLIS}, encoded from the topology as it is when sent,
 * once for all neighbours that need the same peers. A peer this one cannot reach yet waits
 * for the news that makes it reachable (a receiver would collect it at once, as mesh does,
 * and the record would wrongly say it has it). This peer's own entry goes first, as a tag 6
 * broadcast (what mesh 2018 and 2019 peers relay along this peer's tree); everything else
 * as tag 4 gossip, which every mesh version applies and passes on.
 *
 * <p>Sending each piece of news to every neighbour not known to have it, rather than along
 * broadcast trees computed from views that differ while links change, is what makes the
 * overlay converge without periodic gossip. Between Java peers most of those copies are
 * announced, not sent (Plumtree's lazy push, Leitão et al. 2007): a neighbour that receives
 * topology messages mostly made of entries it already has {@linkplain TopologyDigest.Kind#PRUNE
 * prunes} the link, and from then on each end sends the other a
 * {@linkplain TopologyDigest.Kind#HAVE have} (name, UID, version: ~17 bytes) where it would
 * have sent the entry (~240). A peer that hears of a version by a have and has not received it
 * {@link #GRAFT_WAIT_MILLIS} later wants it from the announcer, which makes the link eager again
 * both ways ({@link LazyPush}, which shares the records, {@link TopologyLink}). The eager links
 * thin out to about a spanning tree, so each peer decodes each entry about once instead of once
 * per neighbour; a have still reaches every neighbour that lacks the news, so nothing depends on
 * the tree being right. Go neighbours always get entries. Periodic gossip ({@link #periodic}) is filtered
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
    /**
     * The merge window while the router's thread runs behind (its last flush ran more than
     * {@link #LATE_NANOS} after it was due): the CPU, not the wait, is then what delays news,
     * and each flush costs a route computation and a message per neighbour. Mesh 2019 always
     * waits 100 ms. Always 100 ms took a quarter less CPU in 500-peer joins (star 36 to 27 s,
     * random 37 to 31 s) but made a 100-peer chain, which news crosses hop by hop while the CPU
     * idles, 2.0 to 3.0 s (docs/benchmarks.md).
     */
    static final long BUSY_MERGE_MILLIS = 2 * MERGE_MILLIS;
    /** How late a flush may run before the router counts as busy (see {@link #BUSY_MERGE_MILLIS}). */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Every how many periodic rounds one neighbour gets the unfiltered topology. */
    static final int SAFETY_NET_ROUNDS = 6;
    /**
     * How long a version announced by a have may take to arrive by an eager link before it is
     * wanted from the announcer: two merge windows, so a copy on its way is not asked for twice.
     */
    static final long GRAFT_WAIT_MILLIS = 2 * MERGE_MILLIS;
    /**
     * The fewest links a peer keeps eager itself (a neighbour may still prune one): a spanning
     * tree is the least that carries news, and while links change a tree breaks often, each
     * break costing a graft wait; a few spare eager links keep most news on the fast path.
     */
    static final int MIN_EAGER_LINKS = 3;
    /**
     * System properties, read when a router starts (tests, measurements): the links kept eager
     * ({@link #MIN_EAGER_LINKS}), the graft wait ({@link #GRAFT_WAIT_MILLIS}), one merge window
     * whether busy or not (instead of {@link #MERGE_MILLIS} and {@link #BUSY_MERGE_MILLIS}), and
     * {@code true} to send every neighbour entries as before lazy push.
     */
    static final String MIN_EAGER_LINKS_PROPERTY = "nostrp2p.overlay.minEagerLinks";
    static final String GRAFT_WAIT_PROPERTY = "nostrp2p.overlay.graftWaitMillis";
    static final String EAGER_PROPERTY = "nostrp2p.overlay.eagerTopology";
    static final String MERGE_PROPERTY = "nostrp2p.overlay.mergeMillis";
    /** The most peers described in one message, so a full dump stays far below the frame limit. */
    static final int MAX_PEERS_PER_MESSAGE = 2_000;

    private final PeerName self;
    private final Peers peers;
    private final ScheduledExecutorService actor;
    private final Runnable onActor;
    private final Runnable flushNowOnActor;
    private final RouterCounters counters;
    private final Map<Connection, TopologyLink> links = new HashMap<>();
    /** The numbering of names that the links' version tables share. */
    private final PeerSlots slots = new PeerSlots();
    /** How every topology message of this peer starts (channel, source). */
    private final byte[] gossipHead;
    private final MergeWindow mergeWindow = new MergeWindow(Long.getLong(MERGE_PROPERTY, MERGE_MILLIS),
            Long.getLong(MERGE_PROPERTY, BUSY_MERGE_MILLIS), LATE_NANOS);
    /** Beyond mesh: news announced to pruned Java links instead of sent (see the class comment). */
    private final LazyPush lazy;
    /** Peers with news for every neighbour (checked against each one's record when sent). */
    private final Set<PeerName> newsForAll = new LinkedHashSet<>();
    private boolean flushScheduled;
    private int periodicRounds;
    private volatile boolean stopped;

    /**
     * @param self     this peer's name
     * @param peers    the topology, read on the actor
     * @param actor    the router's actor, on which flushes are scheduled
     * @param flush    submits a task to the actor with its error handling
     * @param counters where sent topology messages are counted
     */
    TopologyNews(PeerName self, Peers peers, ScheduledExecutorService actor, java.util.function.Consumer<Runnable> flush,
                 RouterCounters counters) {
        this.self = self;
        this.peers = peers;
        this.actor = actor;
        this.onActor = () -> flush.accept(this::scheduledFlush);
        this.flushNowOnActor = () -> flush.accept(this::flush);
        this.counters = counters;
        this.gossipHead = WireCodec.gossipHead(CHANNEL, self);
        this.lazy = new LazyPush(self, peers, links, counters, new LazyPush.Out() {
            @Override
            public void digest(Connection connection, byte[] message) {
                sendOnDigestChannel(connection, message);
            }

            @Override
            public void flushSoon() {
                schedule();
            }

            @Override
            public void flushNow() {
                scheduleOnActor(flushNowOnActor, 0);
            }

            @Override
            public boolean later(Runnable task, long delayMillis) {
                return scheduleOnActor(() -> flush.accept(task), delayMillis);
            }
        }, !Boolean.getBoolean(EAGER_PROPERTY), Integer.getInteger(MIN_EAGER_LINKS_PROPERTY, MIN_EAGER_LINKS),
                Long.getLong(GRAFT_WAIT_PROPERTY, GRAFT_WAIT_MILLIS));
    }

    /**
     * A connection was registered; {@code dump}: send it the whole topology (a new or restarted
     * peer). A Java neighbour is sent a {@linkplain TopologyDigest.Kind#HELLO hello} instead, the
     * versions of the whole topology (~17 bytes an entry where the entry is ~240), and answers
     * with the entries this peer lacks; its own hello says which entries to send it. Two parts
     * of an overlay that link know most of each other already: each end decodes the handful it
     * lacks, not the whole topology (which a peer joining a 500-peer overlay was sent by each of
     * the ~14 peers it linked to while its links settled).
     */
    void linkAdded(Connection connection, boolean dump) {
        TopologyLink link = new TopologyLink(connection, slots, peers.size());
        links.put(connection, link);
        if (dump && lazy.enabled() && connection.remoteIsJava()) {
            link.helloSent = true;
            sendOnDigestChannel(connection, TopologyDigest.hello(versions(peers.names())));
        } else if (dump) {
            link.pending.addAll(peers.names());
        }
        schedule();
    }

    /** @return how many names some link's record holds (tests: the bound on what neighbours announce) */
    int namesRecorded() {
        return slots.size();
    }

    void linkRemoved(Connection connection) {
        TopologyLink link = links.remove(connection);
        if (link != null) {
            link.known.clear(); // frees the slots only it held
        }
    }

    /**
     * Records what {@code from} sent: it has these entries, or later ones of the same incarnation
     * (see {@link #remember}). Call before applying them.
     */
    void received(Connection from, List<PeerUpdate> updates) {
        TopologyLink link = links.get(from);
        if (link == null) {
            return;
        }
        for (PeerUpdate update : updates) {
            if (update.peer().uid() != 0) {
                link.remember(update.peer().name(), update.peer().uid(), update.peer().version());
            }
        }
    }

    /** After applying what {@code from} sent: tell it where it was behind us. */
    void correct(Connection from, List<PeerUpdate> updates) {
        TopologyLink link = links.get(from);
        if (link == null) {
            return;
        }
        for (PeerUpdate update : updates) {
            Peer stored = peers.fetch(update.peer().name());
            if (stored != null && stored.uid() != 0
                    && Peers.newer(stored.uid(), stored.version(), update.peer().uid(), update.peer().version())) {
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
        newsForAll.addAll(names);
        schedule();
    }

    /** Peers collected as unreachable: forget what neighbours had of them (a return is news). */
    void forget(Collection<Peer> removed) {
        for (Peer peer : removed) {
            newsForAll.remove(peer.name());
        }
        for (TopologyLink link : links.values()) {
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
        List<TopologyLink> list = new ArrayList<>(links.values());
        if (++periodicRounds % SAFETY_NET_ROUNDS == 0) {
            TopologyLink chosen = list.get(ThreadLocalRandom.current().nextInt(list.size()));
            if (chosen.connection.remoteIsJava()) {
                sendDigest(chosen, all);
            } else {
                chosen.known.clear();
            }
        }
        for (TopologyLink link : list) {
            link.pending.addAll(all);
        }
        schedule();
    }

    private void sendDigest(TopologyLink link, Set<PeerName> names) {
        sendOnDigestChannel(link.connection, TopologyDigest.digest(versions(names)));
    }

    // The versions of these peers' entries (placeholders have none).
    private List<TopologyDigest.Entry> versions(Set<PeerName> names) {
        List<TopologyDigest.Entry> entries = new ArrayList<>(names.size());
        for (PeerName name : names) {
            Peer peer = peers.fetch(name);
            if (peer != null && peer.uid() != 0) {
                entries.add(new TopologyDigest.Entry(name, peer.uid(), peer.version()));
            }
        }
        return entries;
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
     * A Java neighbour's digest or {@code hello}: what it has is remembered; entries it lacks or
     * has older go to it as news; a want goes back for the ones it has newer or this peer lacks,
     * unless this is a hello and this peer sent one too on the link (the neighbour sends those
     * on reading it).
     */
    void receivedDigest(Connection from, List<TopologyDigest.Entry> entries, boolean hello) {
        TopologyLink link = links.get(from);
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
            if (ours == null || ours.uid() == 0 || Peers.newer(e.uid(), e.version(), ours.uid(), ours.version())) {
                wanted.add(e.name());
                // arriving by another link, it is not news for this one
                link.known.put(e.name(), e.uid(), e.version());
            } else {
                // a digest is everything the neighbour has now: what it says replaces the record,
                // even where the record was higher (the neighbour has collected the peer since)
                link.known.put(e.name(), e.uid(), e.version());
                if (Peers.newer(ours.uid(), ours.version(), e.uid(), e.version())) {
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
        if (!wanted.isEmpty() && !(hello && link.helloSent)) {
            sendOnDigestChannel(from, TopologyDigest.want(wanted));
        }
        if (!link.pending.isEmpty()) {
            schedule();
        }
    }

    /** A Java neighbour wants these entries: they go as news, and the link is eager again (see {@link LazyPush#receivedWant}). */
    void receivedWant(Connection from, List<PeerName> names) {
        lazy.receivedWant(from, names);
    }

    /** After applying a topology message: prune the link if it brought mostly what was here (see {@link LazyPush#receivedEntries}). */
    void receivedEntries(Connection from, int entries, int fresh) {
        lazy.receivedEntries(from, entries, fresh);
    }

    /** After applying a topology message: want the peers it names that are only placeholders here (see {@link LazyPush#placeholdersNamed}). */
    void placeholdersNamed(Connection from, List<PeerUpdate> updates, Set<PeerName> fresh) {
        lazy.placeholdersNamed(from, updates, fresh);
    }

    /** A Java neighbour pruned the link (see {@link LazyPush#receivedPrune}). */
    void receivedPrune(Connection from) {
        lazy.receivedPrune(from);
    }

    /** A Java neighbour announced these versions (see {@link LazyPush#receivedHave}). */
    void receivedHave(Connection from, List<TopologyDigest.Entry> entries) {
        lazy.receivedHave(from, entries);
    }

    void stop() {
        stopped = true;
        lazy.stop();
    }

    private void schedule() {
        if (flushScheduled || stopped) {
            return;
        }
        flushScheduled = scheduleOnActor(onActor, mergeWindow.schedule(System.nanoTime()));
    }

    // False when the actor no longer takes tasks (the router is stopping).
    private boolean scheduleOnActor(Runnable task, long delayMillis) {
        try {
            actor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    // The flush schedule() asked for: how late it runs tells whether the router is busy. A
    // flush at once (a want's answer) neither measures that nor stands for the scheduled one.
    private void scheduledFlush() {
        flushScheduled = false;
        mergeWindow.ran(System.nanoTime());
        flush();
    }

    private void flush() {
        if (stopped) {
            return;
        }
        byte[] ownBroadcast = null;
        // each entry encoded once for every message of this flush, then dropped (see Peers#entries)
        Map<PeerName, TopologyEntry> entries = new HashMap<>();
        Map<List<PeerName>, List<byte[]>> encoded = new HashMap<>();
        Map<List<PeerName>, byte[]> announced = new HashMap<>();
        // news for every neighbour is looked up once, not once per neighbour
        List<Peer> forAll = new ArrayList<>(newsForAll.size());
        if (!newsForAll.isEmpty() && !links.isEmpty()) {
            List<PeerName> later = new ArrayList<>();
            for (PeerName name : newsForAll) {
                Peer peer = tellable(name, later);
                if (peer != null) {
                    forAll.add(peer);
                }
            }
            newsForAll.clear();
            newsForAll.addAll(later);
        }
        for (TopologyLink link : links.values()) {
            if (link.pending.isEmpty() && forAll.isEmpty()) {
                continue;
            }
            List<PeerName> others = new ArrayList<>();
            boolean own = false;
            for (Peer peer : forAll) {
                own |= offer(link, peer, others);
            }
            List<PeerName> later = new ArrayList<>();
            for (PeerName name : link.pending) {
                Peer peer = tellable(name, later);
                if (peer != null) {
                    own |= offer(link, peer, others);
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
                    ownBroadcast = frame(List.of(self), entries);
                }
                connection.send(ProtocolTag.GOSSIP_BROADCAST, ownBroadcast);
                counters.topologySent(connection, ownBroadcast.length + 1);
            }
            if (!others.isEmpty() && lazy.announces(link)) {
                others.sort(null);
                sendOnDigestChannel(connection, announced.computeIfAbsent(others, this::have));
            } else if (!others.isEmpty()) {
                others.sort(null);
                counters.topologyEntriesSent.add(others.size());
                for (byte[] payload : encoded.computeIfAbsent(others, names -> frames(names, entries))) {
                    connection.send(ProtocolTag.GOSSIP, payload);
                    counters.topologySent(connection, payload.length + 1);
                }
            }
        }
    }

    // The entry to tell of name, or null: gone or a placeholder (nothing to tell), or a peer
    // this one cannot reach yet (its links are still news on the way: a receiver would collect
    // it at once, as mesh does, while we would believe it had it), which goes to later and is
    // told with the news that makes it reachable.
    private Peer tellable(PeerName name, List<PeerName> later) {
        Peer peer = peers.fetch(name);
        if (peer == null || peer.uid() == 0) {
            return null;
        }
        if (!peers.reachable(name)) {
            later.add(name);
            return null;
        }
        return peer;
    }

    // Adds peer to what link gets unless its record has that version already; records it.
    // Returns whether it is this peer's own entry (which goes apart, as a broadcast).
    private boolean offer(TopologyLink link, Peer peer, List<PeerName> others) {
        PeerName name = peer.name();
        int known = link.known.find(name);
        if (known >= 0 && !Peers.newer(peer.uid(), peer.version(), link.known.uid(known), link.known.version(known))) {
            return false;
        }
        if (known >= 0) {
            link.known.set(known, peer.uid(), peer.version());
        } else {
            link.known.put(name, peer.uid(), peer.version());
        }
        if (name.equals(self)) {
            return true;
        }
        others.add(name);
        return false;
    }

    private byte[] have(List<PeerName> names) {
        List<TopologyDigest.Entry> entries = new ArrayList<>(names.size());
        for (PeerName name : names) {
            Peer peer = peers.fetch(name);
            entries.add(new TopologyDigest.Entry(name, peer.uid(), peer.version()));
        }
        return TopologyDigest.have(entries);
    }

    private List<byte[]> frames(List<PeerName> names, Map<PeerName, TopologyEntry> entries) {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < names.size(); from += MAX_PEERS_PER_MESSAGE) {
            out.add(frame(names.subList(from, Math.min(names.size(), from + MAX_PEERS_PER_MESSAGE)), entries));
        }
        return out;
    }

    private byte[] frame(List<PeerName> names, Map<PeerName, TopologyEntry> entries) {
        return WireCodec.encodeTopologyGossip(gossipHead, peers.entries(names, entries));
    }
}
