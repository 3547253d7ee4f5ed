package org.nostrp2p.overlay.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One simulated router, sending exactly what overlay-core's {@code TopologyNews},
 * {@code LocalPeer} and {@code ConnectionMaker} send (read them for the why):
 * <ul>
 *   <li>a new link: both ends' own entries change (version + 2, mesh's add and establish);
 *       a peer not known before gets the whole topology (the dump);</li>
 *   <li>news of other peers goes to every neighbour not known to have it, merged over
 *       {@link #MERGE_MILLIS}, as one tag-4 message per neighbour;</li>
 *   <li>the own entry goes as a tag-6 message to every neighbour lacking it, after
 *       {@link #OWN_QUIET_MILLIS} of quiet, at most {@link #OWN_MAX_WAIT_MILLIS} after its first change;</li>
 *   <li>what a neighbour sends is remembered as known to it; where it was behind us, it is corrected;</li>
 *   <li>connections: the first two links are dialled as needed, then optional links only to
 *       peers named above this one, the least connected first, two at a time, up to the target
 *       degree; a peer at its target degree refuses an optional link.</li>
 * </ul>
 * Topology is applied by version (mesh's rule: higher version, or equal with a higher UID;
 * every simulated peer keeps one UID). Garbage collection of unreachable peers is not run: in
 * the simulated scenarios no peer leaves, so it would remove nothing.
 */
final class SimPeer {

    static final long MERGE_MILLIS = 50;
    static final long OWN_QUIET_MILLIS = 100;
    static final long OWN_MAX_WAIT_MILLIS = 500;
    static final int MAX_PEERS_PER_MESSAGE = 2_000;
    static final int MIN_LINKS_BEFORE_OPTIONAL = 2;
    static final int MAX_DISCOVERY_ATTEMPTS = 2;

    private final Simulation sim;
    final int index;
    /** versions of entries that differ from the settled base (all of them for a peer without it) */
    private final Map<Integer, Long> view = new HashMap<>();
    private final Map<Integer, Integer> depth = new HashMap<>();
    private boolean hasBase;
    final LinkedHashMap<Integer, Link> links = new LinkedHashMap<>();
    private Map<Integer, Boolean> ownConnections = new HashMap<>();
    private final Set<Integer> refused = new HashSet<>();
    private final Set<Integer> dialling = new HashSet<>();
    private boolean flushScheduled;
    private boolean ownChanged;
    private long ownFirstChange;
    private long ownLastChange;
    private boolean ownFlushScheduled;
    private int periodicRounds;

    /** What a neighbour is known to have: differences from the base when it has the base. */
    static final class Link {
        boolean knowsBase;
        final Map<Integer, Long> known = new HashMap<>();
        final LinkedHashSet<Integer> pending = new LinkedHashSet<>();

        Link(boolean knowsBase) {
            this.knowsBase = knowsBase;
        }
    }

    SimPeer(Simulation sim, int index) {
        this.sim = sim;
        this.index = index;
        view.put(index, 1L);
    }

    long version(int peer) {
        Long v = view.get(peer);
        if (v != null) {
            return v;
        }
        return hasBase ? sim.base[peer] : 0;
    }

    private long known(Link link, int peer) {
        Long v = link.known.get(peer);
        if (v != null) {
            return v;
        }
        return link.knowsBase ? sim.base[peer] : 0;
    }

    /** @return every entry this peer knows, at the version it knows, as topology gossip carries them */
    List<org.nostrp2p.overlay.wire.PeerUpdate> knownEntries() {
        List<org.nostrp2p.overlay.wire.PeerUpdate> out = new ArrayList<>();
        for (int peer : knownPeers()) {
            out.add(sim.entry(peer, version(peer)));
        }
        return out;
    }

    int degree() {
        return links.size();
    }

    /** Becomes part of the settled base with these links (neighbour to outbound). */
    void settled(Map<Integer, Boolean> connections) {
        hasBase = true;
        view.clear();
        ownConnections = new HashMap<>(connections);
        for (int neighbour : connections.keySet()) {
            links.put(neighbour, new Link(true));
        }
    }

    // --- connections ---

    /** Dials {@code remote}; the handshake takes two link latencies (TCP, then the intro). */
    void dial(int remote, boolean required) {
        dialling.add(remote);
        sim.after(2 * sim.config.latencyMillis(), () -> {
            dialling.remove(remote);
            SimPeer other = sim.peers[remote];
            if (links.containsKey(remote)) {
                refresh();
                return;
            }
            if (!required && other.degree() >= sim.config.degree()) {
                refused.add(remote);
                refresh();
                return;
            }
            other.linkAdded(index, false);
            linkAdded(remote, true);
        });
    }

    private void linkAdded(int remote, boolean outbound) {
        boolean dump = version(remote) == 0;
        if (dump) {
            learn(remote, sim.latest[remote], 0);
        }
        links.put(remote, new Link(hasBase && sim.peers[remote].hasBase));
        ownConnections.put(remote, outbound);
        long version = sim.latest[index] + 2;
        sim.latest[index] = version;
        sim.register(index, version, ownConnections);
        view.put(index, version);
        if (dump) {
            Link link = links.get(remote);
            if (hasBase) {
                for (int i = 0; i < sim.size(); i++) {
                    if (sim.base[i] != 0) {
                        link.pending.add(i);
                    }
                }
            }
            link.pending.addAll(view.keySet());
        }
        news(List.of(index, remote));
        refresh();
    }

    /** The connection maker's pass: dial discovered peers while below the target degree. */
    void refresh() {
        int target = sim.config.degree();
        int busy = links.size() + dialling.size();
        if (busy >= target || dialling.size() >= MAX_DISCOVERY_ATTEMPTS || links.isEmpty()) {
            return;
        }
        List<int[]> ranked = new ArrayList<>();
        for (int candidate : knownPeers()) {
            if (candidate == index || links.containsKey(candidate) || dialling.contains(candidate) || refused.contains(candidate)) {
                continue;
            }
            long v = version(candidate);
            var entry = sim.entry(candidate, v);
            if (entry.connections().stream().anyMatch(c -> c.name().equals(sim.names[index]))) {
                continue;
            }
            if (busy >= MIN_LINKS_BEFORE_OPTIONAL && sim.names[candidate].compareTo(sim.names[index]) < 0) {
                continue;
            }
            ranked.add(new int[] {candidate, entry.connections().size(), sim.random.nextInt()});
        }
        ranked.sort((a, b) -> a[1] != b[1] ? Integer.compare(a[1], b[1]) : Integer.compare(a[2], b[2]));
        for (int[] candidate : ranked) {
            if (busy >= target || dialling.size() >= MAX_DISCOVERY_ATTEMPTS) {
                break;
            }
            if (candidate[1] >= target && busy >= 2) {
                break;
            }
            dial(candidate[0], busy < MIN_LINKS_BEFORE_OPTIONAL);
            busy++;
        }
    }

    private List<Integer> knownPeers() {
        List<Integer> out = new ArrayList<>();
        if (hasBase) {
            for (int i = 0; i < sim.size(); i++) {
                if (sim.base[i] != 0 || view.containsKey(i)) {
                    out.add(i);
                }
            }
        } else {
            out.addAll(view.keySet());
            out.sort(null);
        }
        return out;
    }

    // --- topology news ---

    private void learn(int peer, long version, int atDepth) {
        if (hasBase && sim.base[peer] == version) {
            view.remove(peer);
        } else {
            view.put(peer, version);
        }
        depth.put(peer, atDepth);
        sim.viewChanged(atDepth);
    }

    void news(List<Integer> names) {
        if (names.isEmpty() || links.isEmpty()) {
            return;
        }
        boolean others = false;
        for (int name : names) {
            if (name == index) {
                ownChange();
            } else {
                others = true;
                for (Link link : links.values()) {
                    link.pending.add(name);
                }
            }
        }
        if (others) {
            schedule();
        }
    }

    private void ownChange() {
        if (!ownChanged) {
            ownChanged = true;
            ownFirstChange = sim.now;
        }
        ownLastChange = sim.now;
        scheduleOwn(OWN_QUIET_MILLIS);
    }

    private void scheduleOwn(long millis) {
        if (ownFlushScheduled) {
            return;
        }
        ownFlushScheduled = true;
        sim.after(millis, this::ownDue);
    }

    private void ownDue() {
        ownFlushScheduled = false;
        if (!ownChanged) {
            return;
        }
        long due = Math.min(ownLastChange + OWN_QUIET_MILLIS, ownFirstChange + OWN_MAX_WAIT_MILLIS);
        if (due > sim.now) {
            scheduleOwn(due - sim.now);
            return;
        }
        ownChanged = false;
        for (Link link : links.values()) {
            link.pending.add(index);
        }
        flush();
    }

    private void schedule() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        sim.after(MERGE_MILLIS, this::flush);
    }

    private void flush() {
        flushScheduled = false;
        Map<List<Integer>, int[]> sizes = new HashMap<>();
        for (Map.Entry<Integer, Link> e : links.entrySet()) {
            Link link = e.getValue();
            if (link.pending.isEmpty()) {
                continue;
            }
            boolean own = false;
            List<Integer> others = new ArrayList<>();
            for (int name : link.pending) {
                long v = version(name);
                if (v == 0 || v <= known(link, name)) {
                    continue;
                }
                remember(link, name, v);
                if (name == index) {
                    own = true;
                } else {
                    others.add(name);
                }
            }
            link.pending.clear();
            int to = e.getKey();
            if (own) {
                long v = version(index);
                sim.send(index, to, new Simulation.Message(true, new int[] {index}, new long[] {v}, 1,
                        sim.frameBytes(index, new int[] {index}, new long[] {v})));
            }
            if (!others.isEmpty()) {
                others.sort((a, b) -> sim.names[a].compareTo(sim.names[b]));
                for (int from = 0; from < others.size(); from += MAX_PEERS_PER_MESSAGE) {
                    List<Integer> chunk = others.subList(from, Math.min(others.size(), from + MAX_PEERS_PER_MESSAGE));
                    int[] indexes = chunk.stream().mapToInt(Integer::intValue).toArray();
                    long[] versions = new long[indexes.length];
                    int d = 0;
                    for (int i = 0; i < indexes.length; i++) {
                        versions[i] = version(indexes[i]);
                        d = Math.max(d, depth.getOrDefault(indexes[i], 0));
                    }
                    int[] size = sizes.computeIfAbsent(List.copyOf(chunk),
                            k -> new int[] {sim.frameBytes(index, indexes, versions)});
                    sim.send(index, to, new Simulation.Message(false, indexes, versions, d + 1, size[0]));
                }
            }
        }
    }

    private void remember(Link link, int name, long version) {
        if (version > known(link, name)) {
            if (link.knowsBase && sim.base[name] == version) {
                link.known.remove(name);
            } else {
                link.known.put(name, version);
            }
        }
    }

    /** A message from neighbour {@code from} arrives. */
    void receive(int from, Simulation.Message message) {
        Link link = links.get(from);
        if (link == null) {
            return; // the connection has gone
        }
        int[] names = message.entries();
        long[] versions = message.versions();
        for (int i = 0; i < names.length; i++) {
            remember(link, names[i], versions[i]);
        }
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != index && versions[i] > version(names[i])) {
                learn(names[i], versions[i], message.depth());
                fresh.add(names[i]);
            }
        }
        if (!fresh.isEmpty()) {
            news(fresh);
            refresh();
        }
        boolean corrected = false;
        for (int i = 0; i < names.length; i++) {
            if (version(names[i]) > versions[i]) {
                link.pending.add(names[i]);
                corrected = true;
            }
        }
        if (corrected) {
            schedule();
        }
    }

    /** Periodic anti-entropy as {@code TopologyNews.periodic}: what a neighbour is not known to have; now and then all of it. */
    void periodic() {
        if (!links.isEmpty()) {
            List<Link> list = new ArrayList<>(links.values());
            Link chosen = null;
            if (++periodicRounds % 6 == 0) {
                // the safety net: one neighbour's record is forgotten, so it gets the whole topology
                chosen = list.get(sim.random.nextInt(list.size()));
                chosen.known.clear();
                chosen.knowsBase = false;
                chosen.pending.addAll(knownPeers());
            }
            for (Link link : list) {
                link.pending.addAll(view.keySet());
            }
            schedule();
        }
        sim.after(sim.config.periodicMillis(), this::periodic);
    }
}
