package org.nostrp2p.overlay.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * A deterministic simulation of the overlay's topology gossip: one thread, one seeded
 * {@link Random}, a virtual clock in milliseconds, an event queue ordered by (time, sequence).
 * Links deliver in order after a fixed latency; a message may be lost ({@link Config#loss()})
 * or cut by a partition. Peers are {@link SimPeer}s, which send what overlay-core's
 * {@code TopologyNews} sends; message sizes are those of the real encoding
 * ({@link WireCodec#encodeTopology} in a gossip frame, plus the tag byte, as the router's
 * counters count them).
 *
 * <p>Scale: a peer's view and each link's record of what the neighbour has are kept as
 * differences from a shared settled {@linkplain #settle base topology}, so 10,000 peers that
 * all know the same 10,000 entries cost one copy of them, not 10,000.
 */
final class Simulation {

    /**
     * @param seed           the random source's seed: same seed, same run
     * @param latencyMillis  one-way link latency
     * @param loss           probability that a message is lost
     * @param degree         the routers' target degree
     * @param periodicMillis periodic topology gossip interval, 0 for none (the real default is 30 s)
     */
    record Config(long seed, long latencyMillis, double loss, int degree, long periodicMillis) {
        static Config defaults(long seed) {
            return new Config(seed, 50, 0, 6, 0);
        }
    }

    /** A message on a link: topology entries (peer index and version) and its size on the wire. */
    record Message(boolean own, int[] entries, long[] versions, int depth, int bytes) {
    }

    private record Event(long time, long seq, Runnable action) {
    }

    final Config config;
    final Random random;
    final PeerName[] names;
    final SimPeer[] peers;
    private final long[] uids;
    private final String[] addresses;
    /** the settled topology everyone knows: each peer's version there, 0 where none */
    final long[] base;
    /** each peer's newest own version */
    final long[] latest;
    private final Map<Long, PeerUpdate> entries = new HashMap<>();
    private final Map<String, Integer> encodedSizes = new HashMap<>();
    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long seq;
    long now;
    private int[] side;
    /** messages and bytes sent, by tag (own = tag 6), and received per peer */
    long ownMessages;
    long newsMessages;
    long bytes;
    long lost;
    final long[] receivedBytes;
    final long[] receivedMessages;
    int maxDepth;
    long lastViewChange;

    Simulation(int n, Config config) {
        this.config = config;
        this.random = new Random(config.seed());
        names = new PeerName[n];
        uids = new long[n];
        addresses = new String[n];
        Set<Long> taken = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long value;
            do {
                value = random.nextLong() & 0xFFFF_FFFF_FFFFL;
            } while (value == 0 || !taken.add(value));
            names[i] = new PeerName(value);
            uids[i] = random.nextLong() | 1;
            addresses[i] = "198.51." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + ":" + (20000 + (i >> 16));
        }
        base = new long[n];
        latest = new long[n];
        receivedBytes = new long[n];
        receivedMessages = new long[n];
        peers = new SimPeer[n];
        for (int i = 0; i < n; i++) {
            peers[i] = new SimPeer(this, i);
            latest[i] = 1;
            register(i, 1, Map.of());
        }
    }

    int size() {
        return names.length;
    }

    // --- the settled base ---

    /**
     * Makes peers {@code 0..count-1} a settled overlay: a random {@code degree}-regular graph
     * (pairing model, seeded), every one of them knowing every one's entry, every link's
     * neighbour known to have them all. Peers from {@code count} on know nothing yet.
     */
    void settle(int count) {
        int degree = config.degree();
        List<Set<Integer>> adjacency = randomRegular(count, degree);
        for (int i = 0; i < count; i++) {
            Map<Integer, Boolean> connections = new HashMap<>();
            for (int j : adjacency.get(i)) {
                connections.put(j, i < j);
            }
            latest[i] = 3;
            base[i] = 3;
            register(i, 3, connections);
            peers[i].settled(connections);
        }
    }

    private List<Set<Integer>> randomRegular(int count, int degree) {
        {
            int[] stubs = new int[count * degree];
            for (int i = 0; i < stubs.length; i++) {
                stubs[i] = i / degree;
            }
            for (int i = stubs.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = stubs[i];
                stubs[i] = stubs[j];
                stubs[j] = t;
            }
            List<Set<Integer>> adjacency = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                adjacency.add(new HashSet<>());
            }
            // a self-loop or a double edge is dropped: a few peers end one link short
            for (int i = 0; i + 1 < stubs.length; i += 2) {
                int a = stubs[i];
                int b = stubs[i + 1];
                if (a != b) {
                    adjacency.get(a).add(b);
                    adjacency.get(b).add(a);
                }
            }
            // A settled overlay has no peer below its degree that could still link: such peers
            // would dial each other as soon as any news came, and the first change measured
            // would be theirs. Link them pairwise, then by splitting a random edge.
            List<Integer> shortOf = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                for (int k = adjacency.get(i).size(); k < degree; k++) {
                    shortOf.add(i);
                }
            }
            while (shortOf.size() >= 2) {
                int a = shortOf.remove(shortOf.size() - 1);
                int partner = -1;
                for (int k = shortOf.size() - 1; k >= 0; k--) {
                    int b = shortOf.get(k);
                    if (b != a && !adjacency.get(a).contains(b)) {
                        partner = k;
                        break;
                    }
                }
                if (partner >= 0) {
                    int b = shortOf.remove(partner);
                    adjacency.get(a).add(b);
                    adjacency.get(b).add(a);
                    continue;
                }
                int other = shortOf.indexOf(a);
                if (other < 0) {
                    break;
                }
                shortOf.remove(other);
                for (int tries = 0; tries < 1000; tries++) {
                    int x = random.nextInt(count);
                    if (x == a || adjacency.get(a).contains(x) || adjacency.get(x).isEmpty()) {
                        continue;
                    }
                    int y = adjacency.get(x).stream().sorted().toList().get(random.nextInt(adjacency.get(x).size()));
                    if (y == a || adjacency.get(a).contains(y)) {
                        continue;
                    }
                    adjacency.get(x).remove(y);
                    adjacency.get(y).remove(x);
                    adjacency.get(a).add(x);
                    adjacency.get(x).add(a);
                    adjacency.get(a).add(y);
                    adjacency.get(y).add(a);
                    break;
                }
            }
            return adjacency;
        }
    }

    // --- entries ---

    /** Records what peer {@code index} says at {@code version}: its connections, outbound or not. */
    void register(int index, long version, Map<Integer, Boolean> connections) {
        List<ConnectionSummary> list = new ArrayList<>();
        connections.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                list.add(new ConnectionSummary(names[e.getKey()], addresses[e.getKey()], e.getValue(), true)));
        PeerSummary summary = new PeerSummary(names[index], "np2p-" + Long.toHexString(uids[index]).substring(0, 8),
                uids[index], version, index & 0xFFF, true);
        entries.put(key(index, version), new PeerUpdate(summary, list));
    }

    PeerUpdate entry(int index, long version) {
        PeerUpdate update = entries.get(key(index, version));
        if (update == null) {
            throw new IllegalStateException("no entry " + index + "@" + version);
        }
        return update;
    }

    private static long key(int index, long version) {
        return (long) index << 32 | version;
    }

    /** @return the size of a topology gossip frame describing these entries, as the router counts it (payload + tag) */
    int frameBytes(int self, int[] indexes, long[] versions) {
        String cacheKey = self + ":" + Arrays.toString(indexes) + Arrays.toString(versions);
        Integer cached = encodedSizes.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        List<PeerUpdate> updates = new ArrayList<>(indexes.length);
        for (int i = 0; i < indexes.length; i++) {
            updates.add(entry(indexes[i], versions[i]));
        }
        byte[] topology = WireCodec.encodeTopology(updates);
        int size = WireCodec.encodeGossip(new GossipFrame(WireCodec.TOPOLOGY_CHANNEL, names[self], topology)).length + 1;
        if (indexes.length < 64) {
            encodedSizes.put(cacheKey, size);
        }
        return size;
    }

    // --- the clock and the links ---

    void at(long time, Runnable action) {
        queue.add(new Event(time, seq++, action));
    }

    void after(long millis, Runnable action) {
        at(now + millis, action);
    }

    /** Sends {@code message} from one peer to another over their link; lost or cut as configured. */
    void send(int from, int to, Message message) {
        if (message.own()) {
            ownMessages++;
        } else {
            newsMessages++;
        }
        bytes += message.bytes();
        if (config.loss() > 0 && random.nextDouble() < config.loss()) {
            lost++;
            return;
        }
        if (side != null && side[from] != side[to]) {
            lost++;
            return;
        }
        after(config.latencyMillis(), () -> {
            receivedBytes[to] += message.bytes();
            receivedMessages[to]++;
            peers[to].receive(from, message);
        });
    }

    /** Cuts the overlay in two: messages between peers on different sides are lost until {@link #heal()}. */
    void partition(Set<Integer> oneSide) {
        side = new int[names.length];
        for (int i : oneSide) {
            side[i] = 1;
        }
    }

    void heal() {
        side = null;
    }

    /** Runs events until none is left or the clock passes {@code until}. @return the events run */
    long run(long until) {
        long events = 0;
        while (!queue.isEmpty() && queue.peek().time <= until) {
            Event event = queue.poll();
            now = event.time;
            event.action.run();
            events++;
        }
        if (!queue.isEmpty()) {
            now = until;
        }
        return events;
    }

    boolean idle() {
        return queue.isEmpty();
    }

    void viewChanged(int depth) {
        lastViewChange = now;
        maxDepth = Math.max(maxDepth, depth);
    }

    /** @return the peers whose view lacks the newest entry of one of {@code changed} (empty when converged) */
    List<Integer> stale(Set<Integer> changed, int count) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            for (int c : changed) {
                if (c < count && peers[p].version(c) != latest[c]) {
                    out.add(p);
                    break;
                }
            }
        }
        return out;
    }
}
