package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
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

    /** The peers with room last listed, and how many more newcomers each may be handed (see {@link #addresses}). */
    private volatile Roomy roomy = new Roomy(new PeerName[0], new String[0], new int[0]);
    private volatile long roomyNanos = System.nanoTime() - 2 * ROOMY_AGE_NANOS;
    /** Peers handed in features since the actor last counted them into {@link #handed}. */
    private final Queue<PeerName> handedInFeatures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean roomyQueued = new AtomicBoolean();
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
     * {@link FeatureExchange#HAND_OFF_MAX} addresses of peers with room, those with the most room
     * left among the peers this peer's actor last listed at random (at most
     * {@link #ROOMY_AGE_NANOS} old; an older list is refreshed on the actor for the next caller).
     * Empty until a list exists.
     *
     * <p>Each listed peer is handed at most as many newcomers as it has room for (its target
     * degree less its links and the newcomers handed to it lately, as this peer knows them), and
     * the rooms drain evenly; a list used up is listed again at once. A seed that hundreds dial
     * at once hands on dozens a second, and handing each of them three of the same listed peers
     * filled those past twice their degree before the list was refreshed: the newcomers were
     * passed on again, four or five times for the last of a 500-peer star, each pass a handshake
     * on a busy peer. When every listed peer's room is taken, the addresses are drawn from the
     * list at random, uncounted, as before.
     */
    List<String> addresses() {
        long now = System.nanoTime();
        Roomy listed = roomy;
        if (now - roomyNanos > ROOMY_AGE_NANOS) {
            listRoomySoon();
        }
        List<String> drawn = listed.take(FeatureExchange.HAND_OFF_MAX, handedInFeatures);
        if (drawn.size() < FeatureExchange.HAND_OFF_MAX) {
            listRoomySoon(); // used up: listed again with the newcomers handed counted
        }
        if (!drawn.isEmpty()) {
            return drawn;
        }
        Reservoir<String> anyListed = new Reservoir<>(FeatureExchange.HAND_OFF_MAX);
        for (String address : listed.addresses) {
            anyListed.offer(address);
        }
        return anyListed.sample();
    }

    private void listRoomySoon() {
        if (roomyQueued.compareAndSet(false, true)) {
            try {
                actor.execute(this::listRoomy);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                roomyQueued.set(false); // stopping
            }
        }
    }

    // Actor: up to ROOMY_LISTED peers with room, at random, for addresses(): those below the
    // target degree as this peer knows them (each with room for the difference); when fewer than
    // a few, also those below twice it, which still take a Java newcomer (see Admission).
    private void listRoomy() {
        roomyQueued.set(false);
        countHandedInFeatures();
        Topology topology = peers.snapshot();
        PeerName self = topology.self();
        Map<PeerName, ConnectionSummary> ours = topology.peer(self).connections();
        Reservoir<Topology.PeerView> below = new Reservoir<>(ROOMY_LISTED);
        Reservoir<Topology.PeerView> belowTwice = new Reservoir<>(ROOMY_LISTED);
        int twice = Admission.SEED_LINKS_PER_DEGREE * targetDegree;
        for (Topology.PeerView view : topology.peers().values()) {
            if (!handable(view, self, null)) {
                continue;
            }
            int load = load(view);
            Reservoir<Topology.PeerView> tier = hasRoom(load) ? below : load < twice ? belowTwice : null;
            if (tier != null) {
                tier.offer(view);
            }
        }
        List<PeerName> names = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        List<Integer> rooms = new ArrayList<>();
        for (Topology.PeerView view : below.sample()) {
            list(topology, ours, view, targetDegree, names, addresses, rooms);
        }
        if (addresses.size() < 2 * FeatureExchange.HAND_OFF_MAX) {
            for (Topology.PeerView view : belowTwice.sample()) {
                if (addresses.size() < ROOMY_LISTED) {
                    list(topology, ours, view, twice, names, addresses, rooms);
                }
            }
        }
        roomy = new Roomy(names.toArray(new PeerName[0]), addresses.toArray(new String[0]),
                rooms.stream().mapToInt(Integer::intValue).toArray());
        roomyNanos = System.nanoTime();
    }

    // Adds view's peer to the list being made, with room for bound less its load, if an address is known for it.
    private void list(Topology topology, Map<PeerName, ConnectionSummary> ours, Topology.PeerView view, int bound,
                      List<PeerName> names, List<String> addresses, List<Integer> rooms) {
        PeerName name = view.summary().name();
        String address = listeningAddress(topology, ours, name);
        if (address != null) {
            names.add(name);
            addresses.add(address);
            rooms.add(targetDegree <= 0 ? Integer.MAX_VALUE : Math.max(1, bound - load(view)));
        }
    }

    // Actor: the newcomers handed in features since the last count go into this window's counts.
    private void countHandedInFeatures() {
        expireHanded();
        for (PeerName name; (name = handedInFeatures.poll()) != null; ) {
            handed.merge(name, 1, Integer::sum);
        }
    }

    /**
     * Peers with room as the actor listed them, with how many more newcomers each may be handed;
     * taken from by any thread.
     */
    private static final class Roomy {
        final PeerName[] names;
        final String[] addresses;
        private final AtomicIntegerArray rooms;

        Roomy(PeerName[] names, String[] addresses, int[] rooms) {
            this.names = names;
            this.addresses = addresses;
            this.rooms = new AtomicIntegerArray(rooms);
        }

        // Up to count addresses of different listed peers, those with the most room left (ties
        // at random), each taking one of its room and noted in handed: the rooms drain evenly, so
        // the last newcomers are still handed different peers.
        List<String> take(int count, Queue<PeerName> handed) {
            int n = addresses.length;
            List<String> taken = new ArrayList<>(count);
            boolean[] picked = new boolean[n];
            int start = n == 0 ? 0 : ThreadLocalRandom.current().nextInt(n);
            for (int round = 0; round < count; round++) {
                int best = -1;
                int bestRoom = 0;
                for (int k = 0; k < n; k++) {
                    int i = (start + k) % n;
                    int room = rooms.get(i);
                    if (!picked[i] && room > bestRoom) {
                        best = i;
                        bestRoom = room;
                    }
                }
                if (best < 0) {
                    break;
                }
                picked[best] = true;
                if (rooms.getAndUpdate(best, r -> r > 0 ? r - 1 : 0) > 0) { // another thread may have taken the last
                    taken.add(addresses[best]);
                    handed.add(names[best]);
                }
            }
            return taken;
        }
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
        countHandedInFeatures();
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
