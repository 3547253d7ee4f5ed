package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.topology.Topology;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * Beyond mesh, within its wire format: how a peer that refuses a newcomer (at its connection
 * limit, or as a full Java seed) passes it on. Mesh closes such a connection as soon as the
 * handshake is done, so a newcomer whose only contact is a full peer never learns of anyone
 * else; here the newcomer is first handed a few peers with room, as ordinary topology gossip,
 * and the connection is closed {@link LocalPeer#LIMIT_GRACE_MILLIS} later, once its connection
 * maker has started dialling them.
 *
 * <p>Handed, not told everything: a seed that hundreds join at once used to tell each the whole
 * topology, so every newcomer ranked the same few least-connected peers first, filled them
 * together and was passed on again by them; and any stranger could have a full peer send it the
 * whole topology (125 KB at 500 peers) for one handshake. Each newcomer is now handed
 * {@value #HANDED_PEERS} peers with room, drawn at random among those with fewer links than the
 * target degree as this peer knows them, counting the newcomers it handed each in the last
 * {@link #HANDED_WINDOW_NANOS} (at random, not the least connected: every full peer's view of the
 * overlay is seconds old during a join, and the least connected in all of them is the same newest
 * peer); the least loaded of the others make up the number. The message carries this peer's own
 * entry and the handed peers', and, for a handed peer not linked to this one, the entry of a peer
 * linked to it, which carries its address. A Java newcomer ranks the names those entries list
 * without an entry of their own after the handed peers (see {@link ConnectionMaker}); the peers
 * it links to bring it the rest.
 *
 * <p>Faster still, in the handshake: a Java dialler is told up to {@value FeatureExchange#HAND_OFF_MAX}
 * addresses of peers with room in this peer's features ({@link #addresses}, feature
 * {@value FeatureExchange#HAND_OFF_FEATURE}), dials them at once and hangs up; no topology
 * message is sent. The message above remains for Go diallers, and for Java ones until this peer
 * has listed its peers with room.
 *
 * <p>A Java peer counts connections still in their handshake towards its limit, so a seed a
 * hundred dial at once passes most of them on before it has registered a single link: told
 * then, they learnt of nobody but the seed and dialled it again seconds later (a cold 100-peer
 * star stalled two seconds on it). A newcomer passed on while this peer has no link is told as
 * the first link registers ({@link #linkRegistered}), or after {@link LocalPeer#LIMIT_GRACE_MILLIS}
 * if none does. Confined to the peer's actor.
 */
final class PassOn {

    /** How many peers with room a newcomer passed on is handed. */
    static final int HANDED_PEERS = 3;
    /** How long a newcomer handed to a peer counts against that peer's room. */
    static final long HANDED_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Waiting(Connection connection, String reason) {
    }

    private final ScheduledExecutorService actor;
    /** How this peer's topology messages start (channel, source). */
    private final byte[] gossipHead;
    private final Peers peers;
    /** Fewer links than this (counting those handed): a peer has room; 0 for every peer. */
    private final int targetDegree;
    private final List<Waiting> waiting = new ArrayList<>();
    /** How old the list {@link #addresses} draws from may be before it is listed again. */
    static final long ROOMY_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How many addresses of peers with room that list holds. */
    static final int ROOMY_LISTED = 24;

    private volatile String[] roomyAddresses = new String[0];
    private volatile long roomyNanos = System.nanoTime() - 2 * ROOMY_AGE_NANOS;
    private final java.util.concurrent.atomic.AtomicBoolean roomyQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** Newcomers handed to each peer since {@link #handedSince}. */
    private final Map<PeerName, Integer> handed = new HashMap<>();
    private long handedSince = System.nanoTime();

    PassOn(ScheduledExecutorService actor, PeerName name, Peers peers, int targetDegree) {
        this.actor = actor;
        this.targetDegree = targetDegree;
        this.gossipHead = WireCodec.gossipHead(TopologyNews.CHANNEL, name);
        this.peers = peers;
    }

    /**
     * Tells {@code connection}'s peer the others, then closes the connection for {@code reason};
     * while this peer has no link ({@code linked} false) the telling waits for one.
     */
    void tellThenClose(Connection connection, String reason, boolean linked) {
        if (connection.handedOffInFeatures()) {
            // a Java dialler handed on in the handshake dials those peers and hangs up itself
            actor.schedule(() -> connection.fail(reason), LocalPeer.LIMIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        if (linked) {
            tell(connection, reason);
            return;
        }
        Waiting entry = new Waiting(connection, reason);
        waiting.add(entry);
        actor.schedule(() -> {
            if (waiting.remove(entry)) {
                tell(connection, reason);
            }
        }, LocalPeer.LIMIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** This peer registered a link: the newcomers waiting for one are told now. */
    void linkRegistered() {
        if (waiting.isEmpty()) {
            return;
        }
        List<Waiting> due = List.copyOf(waiting);
        waiting.clear();
        for (Waiting entry : due) {
            tell(entry.connection(), entry.reason());
        }
    }

    private void tell(Connection connection, String reason) {
        if (connection.closeReason() != null) {
            return;
        }
        connection.send(ProtocolTag.GOSSIP, handOff(connection.remoteName()));
        actor.schedule(() -> connection.fail(reason), LocalPeer.LIMIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Any thread (a connection's event loop, writing its features): up to
     * {@link FeatureExchange#HAND_OFF_MAX} addresses of peers with room, at random among those
     * this peer's actor last listed (at most {@link #ROOMY_AGE_NANOS} old; an older list is
     * refreshed on the actor for the next caller). Empty until a list exists.
     */
    List<String> addresses() {
        long now = System.nanoTime();
        String[] roomy = roomyAddresses;
        if (now - roomyNanos > ROOMY_AGE_NANOS && roomyQueued.compareAndSet(false, true)) {
            try {
                actor.execute(this::listRoomy);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                roomyQueued.set(false); // stopping
            }
        }
        Reservoir<String> drawn = new Reservoir<>(FeatureExchange.HAND_OFF_MAX);
        for (String address : roomy) {
            drawn.offer(address);
        }
        return drawn.sample();
    }

    // Actor: up to ROOMY_LISTED addresses of peers with room, at random, for addresses(): those
    // below the target degree as this peer knows them; when fewer than a few, also those below
    // twice it, which still take a Java newcomer (see Admission).
    private void listRoomy() {
        roomyQueued.set(false);
        Topology topology = peers.snapshot();
        PeerName self = topology.self();
        Map<PeerName, ConnectionSummary> ours = topology.peer(self).connections();
        Reservoir<String> below = new Reservoir<>(ROOMY_LISTED);
        Reservoir<String> belowTwice = new Reservoir<>(ROOMY_LISTED);
        expireHanded();
        for (Topology.PeerView view : topology.peers().values()) {
            PeerName name = view.summary().name();
            if (!handable(view, self, null)) {
                continue;
            }
            int load = load(view);
            Reservoir<String> tier = hasRoom(load) ? below
                    : load < Admission.SEED_LINKS_PER_DEGREE * targetDegree ? belowTwice : null;
            String address = tier == null ? null : listeningAddress(topology, ours, name);
            if (address != null) {
                tier.offer(address);
            }
        }
        List<String> listed = below.sample();
        if (listed.size() < 2 * FeatureExchange.HAND_OFF_MAX) {
            listed = new ArrayList<>(listed);
            for (String address : belowTwice.sample()) {
                if (listed.size() < ROOMY_LISTED) {
                    listed.add(address);
                }
            }
        }
        roomyAddresses = listed.toArray(new String[0]);
        roomyNanos = System.nanoTime();
    }

    // A uniform sample of up to capacity of the items offered (reservoir sampling). Any thread
    // that owns it.
    private static final class Reservoir<T> {
        private final Object[] items;
        private int seen;

        Reservoir(int capacity) {
            items = new Object[capacity];
        }

        void offer(T item) {
            int slot = seen < items.length ? seen : ThreadLocalRandom.current().nextInt(seen + 1);
            if (slot < items.length) {
                items[slot] = item;
            }
            seen++;
        }

        @SuppressWarnings("unchecked")
        List<T> sample() {
            return (List<T>) List.of(java.util.Arrays.copyOf(items, Math.min(seen, items.length)));
        }
    }

    // Whether the peer viewed may be handed to newcomer (null: any dialler): another reachable
    // peer with an entry of its own, not linked to the newcomer already.
    private boolean handable(Topology.PeerView view, PeerName self, PeerName newcomer) {
        PeerName name = view.summary().name();
        return !name.equals(self) && view.summary().uid() != 0 && peers.reachable(name)
                && (newcomer == null || (!name.equals(newcomer) && !view.connections().containsKey(newcomer)));
    }

    // Its links as this peer knows them, and the newcomers handed to it in this window.
    private int load(Topology.PeerView view) {
        return view.connections().size() + handed.getOrDefault(view.summary().name(), 0);
    }

    private boolean hasRoom(int load) {
        return targetDegree <= 0 || load < targetDegree;
    }

    // Starts a new window for the handed counts once HANDED_WINDOW_NANOS have passed.
    private void expireHanded() {
        long now = System.nanoTime();
        if (now - handedSince > HANDED_WINDOW_NANOS) {
            handed.clear();
            handedSince = now;
        }
    }

    // Where name listens, as a summary that dialled it says (ours first): null if none does.
    private static String listeningAddress(Topology topology, Map<PeerName, ConnectionSummary> ours, PeerName name) {
        ConnectionSummary mine = ours.get(name);
        if (mine != null && mine.outbound()) {
            return mine.remoteTcpAddr();
        }
        PeerName referrer = referrer(topology, name);
        ConnectionSummary theirs = referrer == null ? null : topology.peer(referrer).connections().get(name);
        return theirs != null && theirs.outbound() ? theirs.remoteTcpAddr() : null;
    }

    /**
     * @return a topology message handing {@code newcomer} {@value #HANDED_PEERS} peers with room,
     *     with the entries that carry their addresses (see the class comment)
     */
    byte[] handOff(PeerName newcomer) {
        expireHanded();
        Topology topology = peers.snapshot();
        PeerName self = topology.self();
        // at random among the peers with room; the least loaded of the others make up the
        // number when fewer have room
        Reservoir<PeerName> roomy = new Reservoir<>(HANDED_PEERS);
        PeerName[] fallback = new PeerName[HANDED_PEERS];
        int[] fallbackLoad = new int[HANDED_PEERS];
        java.util.Arrays.fill(fallbackLoad, Integer.MAX_VALUE);
        for (Topology.PeerView view : topology.peers().values()) {
            if (!handable(view, self, newcomer)) {
                continue;
            }
            PeerName name = view.summary().name();
            int load = load(view);
            if (hasRoom(load)) {
                roomy.offer(name);
                continue;
            }
            for (int i = 0; i < HANDED_PEERS; i++) {
                if (load < fallbackLoad[i]) {
                    System.arraycopy(fallbackLoad, i, fallbackLoad, i + 1, HANDED_PEERS - 1 - i);
                    System.arraycopy(fallback, i, fallback, i + 1, HANDED_PEERS - 1 - i);
                    fallbackLoad[i] = load;
                    fallback[i] = name;
                    break;
                }
            }
        }
        List<PeerName> chosen = new ArrayList<>(roomy.sample());
        for (int i = 0; chosen.size() < HANDED_PEERS && i < HANDED_PEERS && fallback[i] != null; i++) {
            chosen.add(fallback[i]);
        }
        Set<PeerName> names = new LinkedHashSet<>();
        names.add(self);
        Map<PeerName, ConnectionSummary> ours = topology.peer(self).connections();
        for (PeerName name : chosen) {
            handed.merge(name, 1, Integer::sum);
            names.add(name);
            if (!ours.containsKey(name)) {
                PeerName referrer = referrer(topology, name);
                if (referrer != null) {
                    names.add(referrer);
                }
            }
        }
        return WireCodec.encodeTopologyGossip(gossipHead, peers.entries(names, new HashMap<>()));
    }

    // A peer whose entry lists a connection to name, so it carries name's address: one that
    // dialled name if any (its summary holds the address name listens on, where a Go peer's
    // summary of an inbound connection holds an ephemeral port), or null.
    private static PeerName referrer(Topology topology, PeerName name) {
        PeerName any = null;
        for (PeerName candidate : topology.peer(name).connections().keySet()) {
            Topology.PeerView view = topology.peer(candidate);
            ConnectionSummary toName = view == null || view.summary().uid() == 0 ? null : view.connections().get(name);
            if (toName != null) {
                if (toName.outbound()) {
                    return candidate;
                }
                any = any == null ? candidate : any;
            }
        }
        return any;
    }
}
