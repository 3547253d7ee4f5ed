package org.nostrp2p.overlay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Routes;
import org.nostrp2p.overlay.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which addresses to connect to and when (mesh {@code connectionMaker},
 * connection_maker.go): the addresses given to {@link Router#connect}, and with discovery on,
 * the addresses other peers' connections show; failed attempts retried after 2 s, growing
 * ×1.5 up to 6 min, with jitter. An actor: its state is touched only on its own
 * single-threaded executor.
 */
final class ConnectionMaker {

    static final long INITIAL_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long MAX_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(6);
    static final long RESET_AFTER_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * Below this many connections a discovered peer is dialled as needed, not optional: a peer
     * left with no link (refused by a full seed) must not be refused by every other one too.
     */
    static final int MIN_LINKS_BEFORE_OPTIONAL = 2;
    /** How soon a peer that has links asks a seed that said it was full again (about this, ×0.5–1.5). */
    static final long FULL_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * How many discovered peers are dialled at once: each link made changes which peers are
     * least connected, so a peer that dials a few at a time chooses on fresher news and
     * degrees overshoot less (loopback handshakes take milliseconds).
     */
    static final int MAX_DISCOVERY_ATTEMPTS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionMaker.class);

    enum TargetState { WAITING, ATTEMPTING, CONNECTED, SUSPENDED }

    /** One address to connect to. {@code tryAfter} null means never again. */
    static final class Target {
        TargetState state = TargetState.WAITING;
        String lastError;
        Long tryAfter;
        /** Dialled to join two parts of the overlay: not optional, even at the degree. */
        boolean bridge;
        /** Its connection is being read from a full seed that passed this peer on (see {@link ConnectionMaker#passedOn}). */
        boolean passedOn;
        long tryInterval = INITIAL_INTERVAL_NANOS;

        void nextTryNow() {
            tryAfter = System.nanoTime();
            tryInterval = INITIAL_INTERVAL_NANOS;
        }

        void nextTryNever() {
            tryAfter = null;
            tryInterval = MAX_INTERVAL_NANOS;
        }

        void nextTryLater() {
            tryAfter = System.nanoTime() + tryInterval / 2 + ThreadLocalRandom.current().nextLong(tryInterval);
            tryInterval = Math.min(tryInterval * 3 / 2, MAX_INTERVAL_NANOS);
        }
    }

    /** The router, only as far as this needs it: identity, addresses, degree bound, topology, dialling. */
    private final Dialer router;
    private final ScheduledExecutorService actor;
    /** Whether peers learnt from the topology are dialled (mesh {@code PeerDiscovery}). */
    private final boolean discover;
    private final Map<String, PeerAddress> directPeers = new LinkedHashMap<>();
    private final Map<String, Target> targets = new HashMap<>();
    /** Addresses a full peer handed this one on to in its features, until when each is dialled (see {@link #handedOff}). */
    private final Map<String, Long> handed = new LinkedHashMap<>();
    private final Set<Connection> connections = new HashSet<>();
    private int terminationCount;
    private final java.util.concurrent.atomic.AtomicBoolean refreshQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private ScheduledFuture<?> timer;
    private boolean stopped;
    /** Beyond mesh: how often discovered addresses may be dialled (see {@link DialBudget}). */
    final DialBudget dialBudget = new DialBudget();
    /** Whom it may dial among the peers the topology names, where, and in which order. */
    final Discovery discovery;

    /**
     * @param router    what this needs of the router
     * @param actor     the single thread this connection maker's state lives on
     * @param discovery whether to dial peers learnt from the topology (mesh {@code PeerDiscovery})
     */
    ConnectionMaker(Dialer router, ScheduledExecutorService actor, boolean discovery) {
        this.router = router;
        this.actor = actor;
        this.discovery = new Discovery(router::port);
        this.discover = discovery;
    }

    /**
     * Adds addresses to keep connected to (mesh {@code InitiateConnections}).
     *
     * @throws IllegalArgumentException for an address that is not {@code host[:port]}
     */
    void initiateConnections(Collection<String> addresses) {
        Map<String, PeerAddress> parsed = new LinkedHashMap<>();
        for (String address : addresses) {
            parsed.put(address, PeerAddress.parseGiven(address));
        }
        execute(() -> {
            for (Map.Entry<String, PeerAddress> e : parsed.entrySet()) {
                directPeers.put(e.getKey(), e.getValue());
                Target target = targets.get(completeAddress(e.getValue()));
                if (target != null) {
                    target.nextTryNow();
                }
            }
            run();
        });
    }

    /**
     * A full seed passed this peer on: {@code connection} (outbound) is read for the topology
     * the seed tells, then closed. That dial will make no link, so when this peer has links it
     * does not hold back a bridge to the peers the seed named that it cannot reach: the bridge
     * is dialled now, while the router keeps what the seed told (as long as the connection is
     * open), not when it closes a second later, by when the router may have collected them as
     * unreachable.
     */
    void passedOn(Connection connection) {
        execute(() -> {
            Target target = targets.get(connection.remoteTcpAddr);
            if (target != null) {
                target.passedOn = true;
                run();
            }
        });
    }

    /**
     * A full peer handed this one on to {@code addresses} in its features (see {@link PassOn}):
     * for {@link #HANDED_VALID_NANOS} they are targets like discovered peers, dialled within the
     * same bound (degree, {@value #MAX_DISCOVERY_ATTEMPTS} at a time), though no topology names
     * them yet.
     */
    void handedOff(List<String> addresses) {
        execute(() -> {
            long until = System.nanoTime() + HANDED_VALID_NANOS;
            for (String address : addresses) {
                handed.remove(address);
                handed.put(address, until);
            }
            while (handed.size() > MAX_HANDED) {
                handed.remove(handed.keySet().iterator().next());
            }
            run();
        });
    }

    /** How long addresses a full peer handed this one on to stay targets. */
    static final long HANDED_VALID_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The most handed addresses remembered (the oldest go first). */
    static final int MAX_HANDED = 16;

    void connectionCreated(Connection connection) {
        execute(() -> {
            connections.add(connection);
            if (connection.outbound) {
                Target target = targets.get(connection.remoteTcpAddr);
                if (target != null) {
                    target.state = TargetState.CONNECTED;
                }
                dialBudget.handshaken(connection.remoteTcpAddr);
            }
        });
    }

    void connectionAborted(String address, String error) {
        execute(() -> {
            Target target = targets.get(address);
            if (target != null) {
                target.state = TargetState.WAITING;
                target.lastError = error;
                target.nextTryLater();
            }
            run();
        });
    }

    void connectionTerminated(Connection connection) {
        execute(() -> {
            if (connection.ending() != Connection.Ending.CONNECT_TO_SELF) {
                terminationCount++;
            }
            connections.remove(connection);
            if (connection.outbound && connection.remote() != null) {
                // a mesh peer answered there (even one that then refused an optional link)
                dialBudget.handshaken(connection.remoteTcpAddr);
            }
            if (connection.outbound) {
                Target target = targets.get(connection.remoteTcpAddr);
                if (target != null) {
                    target.state = TargetState.WAITING;
                    target.passedOn = false;
                    target.lastError = connection.closeReason();
                    if (connection.ending() == Connection.Ending.REMOTE_FULL
                            && (connections.size() >= MIN_LINKS_BEFORE_OPTIONAL || !isDirect(connection.remoteTcpAddr))) {
                        // a full seed passed this peer on and it has links, or a full peer it
                        // discovered did (which handed it others, see PassOn): ask again much
                        // later; a linkless peer's own seeds are its way back in
                        target.tryInterval = Math.max(target.tryInterval, FULL_RETRY_NANOS);
                        target.nextTryLater();
                    } else if (connection.ending() != Connection.Ending.ERROR
                            && connection.ending() != Connection.Ending.OPTIONAL_REFUSED
                            && connection.ending() != Connection.Ending.REMOTE_FULL) {
                        target.nextTryNever();
                    } else if (target.tryAfter != null && System.nanoTime() - target.tryAfter > RESET_AFTER_NANOS) {
                        target.nextTryNow();
                    } else {
                        target.nextTryLater();
                    }
                }
            }
            run();
        });
    }

    /** The topology changed: look for new targets. Refreshes asked for while one is queued are one. */
    void refresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            try {
                actor.schedule(() -> execute(() -> {
                    refreshQueued.set(false);
                    run();
                }), REFRESH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopped
            }
        }
    }

    /** How long a topology change waits for others before the connection maker looks at them all. */
    static final long REFRESH_DELAY_MILLIS = 50;

    /** @return the addresses given to connect to, and the targets with their state and last error */
    CompletableFuture<List<RouterStatus.TargetStatus>> targets() {
        CompletableFuture<List<RouterStatus.TargetStatus>> result = new CompletableFuture<>();
        execute(() -> {
            List<RouterStatus.TargetStatus> out = new ArrayList<>();
            for (Map.Entry<String, Target> e : targets.entrySet()) {
                Target t = e.getValue();
                out.add(new RouterStatus.TargetStatus(e.getKey(), t.state.name().toLowerCase(java.util.Locale.ROOT),
                        t.lastError, t.tryAfter == null ? -1 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(t.tryAfter - System.nanoTime()))));
            }
            result.complete(out);
        });
        return result;
    }

    CompletableFuture<Integer> terminationCount() {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        execute(() -> result.complete(terminationCount));
        return result;
    }

    void stop() {
        execute(() -> {
            stopped = true;
            if (timer != null) {
                timer.cancel(false);
            }
        });
    }

    private void execute(Runnable task) {
        try {
            actor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("internal error in the connection maker", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped
        }
    }

    private void run() {
        if (stopped) {
            return;
        }
        long delay = checkStateAndAttemptConnections();
        if (timer != null) {
            timer.cancel(false);
        }
        if (delay != Long.MAX_VALUE) {
            try {
                timer = actor.schedule(() -> execute(this::run), Math.max(delay, 0), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                stopped = true; // the router is stopping
            }
        }
    }

    private long checkStateAndAttemptConnections() {
        Set<String> validTargets = new HashSet<>();
        Set<String> directTargets = new HashSet<>();
        Set<PeerName> ourConnectedPeers = new HashSet<>();
        Set<String> ourConnectedTargets = new HashSet<>();
        Set<String> ourInboundIps = new HashSet<>();
        for (Connection c : connections) {
            ourConnectedPeers.add(c.remoteName());
            ourConnectedTargets.add(c.remoteTcpAddr);
            if (!c.outbound) {
                ourInboundIps.add(PeerAddress.hostOf(c.remoteTcpAddr));
            }
        }
        for (PeerAddress peer : directPeers.values()) {
            String address = completeAddress(peer);
            if (address == null) {
                continue;
            }
            directTargets.add(address);
            boolean attempt = !(peer.port() == 0 && ourInboundIps.contains(PeerAddress.hostOf(address)));
            if (attempt) {
                addTarget(address, ourConnectedTargets, validTargets);
            }
        }
        if (discover) {
            addDiscoveredTargets(ourConnectedPeers, ourConnectedTargets, validTargets);
        }
        return connectToTargets(validTargets, directTargets);
    }

    // Beyond mesh, which dials every peer it discovers (a full mesh, capped only by the
    // connection limit): with a degree bound, connections in both directions count, and
    // discovered peers are dialled only while fewer connections are up or being attempted
    // than the bound, the least-connected first (so a star's spokes do not all dial each
    // other, and links spread evenly); at the bound the topology is not even scanned. A peer
    // whose entry already shows a connection to this one is not dialled (it dialled us), so
    // both ends rarely dial each other at once.
    private void addDiscoveredTargets(Set<PeerName> ourConnectedPeers, Set<String> ourConnectedTargets,
                                      Set<String> validTargets) {
        int degree = router.targetDegree();
        int busy = connections.size();
        int attempting = 0;
        // attempts that hold back a bridge: all but a full seed's connection being read by a peer
        // with links (a peer without one finds its first links by the usual discovery, which
        // bridging at once too made churn: twice the connections ended per peer in a 500 star)
        int linking = 0;
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            if (e.getValue().state == TargetState.ATTEMPTING && !ourConnectedTargets.contains(e.getKey())) {
                busy++;
                attempting++;
                validTargets.add(e.getKey());
                if (!e.getValue().passedOn || connections.isEmpty()) {
                    linking++;
                }
            }
        }
        int handedDials = addHandedTargets(ourConnectedTargets, validTargets, busy, attempting);
        busy += handedDials;
        attempting += handedDials;
        linking += handedDials;
        Routes routes = router.routes();
        Topology topology = routes.topology();
        // Peers known but unreachable (what a full seed just told us: unreachable peers are
        // otherwise collected at once) mean this peer's part of the overlay is cut off from
        // theirs; with every peer at its degree nobody would dial across, so one is dialled
        // whatever the degree.
        boolean atBound = degree > 0 && (busy >= degree || attempting >= MAX_DISCOVERY_ATTEMPTS);
        boolean bridging = degree > 0 && router.unreachableCount() > 0 && linking == 0;
        if (atBound && !bridging) {
            return;
        }
        PeerName self = router.name();
        // Unless it looks for a bridge (any peer it cannot reach), the peers this one may dial
        // are told apart by their entries first, and only their links' addresses are read: a
        // peer below the bound whose candidates are all at theirs (most, once an overlay has
        // formed) then skips the scan of every link, which each topology change asked for again.
        Set<PeerName> dialable = bridging ? null : Discovery.dialable(topology, self, ourConnectedPeers, busy, degree);
        if (dialable != null && dialable.isEmpty()) {
            return;
        }
        Map<PeerName, String> candidates = discovery.candidates(topology, self, ourConnectedPeers, dialable);
        if (bridging && bridge(candidates, topology, routes, ourConnectedTargets, validTargets)) {
            return;
        }
        if (atBound) {
            return; // here only to look for a bridge
        }
        List<Discovery.Candidate> ranked = Discovery.rank(candidates, topology, self, busy);
        if (degree <= 0) {
            ranked.forEach(c -> addTarget(c.address(), ourConnectedTargets, validTargets));
            return;
        }
        for (Discovery.Candidate candidate : ranked) {
            if (busy >= degree || attempting >= MAX_DISCOVERY_ATTEMPTS) {
                break;
            }
            Target existing = targets.get(candidate.address());
            if (existing != null && existing.state == TargetState.ATTEMPTING) {
                continue;
            }
            // a peer already at the bound, or without an entry, is dialled only by a peer that
            // has almost no links
            if (candidate.degree() >= degree && busy >= 2) {
                break;
            }
            if (ourConnectedTargets.contains(candidate.address()) || isOwnListenAddress(candidate.address())) {
                continue;
            }
            addTarget(candidate.address(), ourConnectedTargets, validTargets);
            Target target = targets.get(candidate.address());
            if (target != null && target.tryAfter != null && target.tryAfter - System.nanoTime() <= 0) {
                busy++;
                attempting++;
            }
        }
    }

    // What full peers handed this one on to (handedOff): targets while fresh, new ones only
    // within the bound discovery keeps (connections and attempts below the degree, at most
    // MAX_DISCOVERY_ATTEMPTS attempts), so a newcomer handed on twice does not dial six at once.
    // busy and attempting are the links and attempts under way. @return how many it will dial now
    private int addHandedTargets(Set<String> ourConnectedTargets, Set<String> validTargets, int busy, int attempting) {
        if (handed.isEmpty()) {
            return 0;
        }
        long now = System.nanoTime();
        handed.values().removeIf(until -> until - now <= 0);
        int degree = router.targetDegree();
        int dials = 0;
        for (String address : handed.keySet()) {
            Target existing = targets.get(address);
            if (existing != null) {
                addTarget(address, ourConnectedTargets, validTargets); // keeps it, and its wait
                continue;
            }
            if ((degree > 0 && busy >= degree) || attempting >= MAX_DISCOVERY_ATTEMPTS) {
                continue;
            }
            addTarget(address, ourConnectedTargets, validTargets);
            if (targets.containsKey(address)) {
                busy++;
                attempting++;
                dials++;
            }
        }
        return dials;
    }

    // Cut off (see addDiscoveredTargets): one bridge, not optional, to the least-connected peer
    // this one cannot reach, whatever this peer's degree and whichever name is higher (the
    // other part may all be named below it, and every peer there may have its degree: the
    // usual discovery would dial none of them). Both parts bridging at once make a duplicate,
    // which the tie-break settles. @return whether a bridge is being dialled
    private boolean bridge(Map<PeerName, String> candidates, Topology topology, Routes routes,
                           Set<String> ourConnectedTargets, Set<String> validTargets) {
        Map<PeerName, PeerName> reachable = routes.unicastAllTable();
        String best = null;
        int bestDegree = Integer.MAX_VALUE;
        for (Map.Entry<PeerName, String> e : candidates.entrySet()) {
            if (reachable.containsKey(e.getKey()) || ourConnectedTargets.contains(e.getValue())
                    || isOwnListenAddress(e.getValue())) {
                continue;
            }
            int degree = Discovery.rankingDegree(topology.peer(e.getKey()));
            if (best == null || degree < bestDegree) {
                best = e.getValue();
                bestDegree = degree;
            }
        }
        if (best == null) {
            return false;
        }
        addTarget(best, ourConnectedTargets, validTargets);
        Target target = targets.get(best);
        if (target == null) {
            return false;
        }
        target.bridge = true;
        return true;
    }

    private void addTarget(String address, Set<String> ourConnectedTargets, Set<String> validTargets) {
        if (ourConnectedTargets.contains(address) || isOwnListenAddress(address)) {
            return;
        }
        validTargets.add(address);
        targets.computeIfAbsent(address, a -> {
            Target t = new Target();
            t.nextTryNow();
            return t;
        });
    }

    private long connectToTargets(Set<String> validTargets, Set<String> directTargets) {
        long now = System.nanoTime();
        int linksOrAttempts = connections.size();
        for (Target t : targets.values()) {
            if (t.state == TargetState.ATTEMPTING) {
                linksOrAttempts++;
            }
        }
        long after = Long.MAX_VALUE;
        for (var it = targets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Target> e = it.next();
            String address = e.getKey();
            Target target = e.getValue();
            if (target.state != TargetState.WAITING && target.state != TargetState.SUSPENDED) {
                continue;
            }
            if (!validTargets.contains(address)) {
                if (directTargets.contains(address)) {
                    target.state = TargetState.SUSPENDED;
                } else if (target.tryAfter == null || target.tryAfter - now <= 0) {
                    it.remove();
                }
                // else kept until its retry is due: a peer that passed this one on, not a
                // candidate in this run (a bridge was chosen instead), would otherwise come
                // back as a new target and be dialled at once, however long it asked us to wait
                continue;
            }
            if (target.tryAfter == null) {
                continue;
            }
            target.state = TargetState.WAITING;
            long wait = target.tryAfter - now;
            boolean direct = directTargets.contains(address);
            if (wait <= 0 && !direct) {
                // beyond mesh: a discovered address is dialled within its budget, whatever the
                // topology did to its target (see DialBudget)
                long budgetWait = dialBudget.reserve(address, now);
                if (budgetWait > 0) {
                    target.tryAfter = now + budgetWait;
                    wait = budgetWait;
                }
            }
            if (wait <= 0) {
                target.state = TargetState.ATTEMPTING;
                LOG.debug("->[{}] attempting connection", address);
                // a peer handed on to is not in this peer's topology yet: accepted as new, as a
                // given address is (mesh refuses a discovered address that answers with a name
                // it does not know)
                router.dial(address, direct || handed.containsKey(address),
                        !direct && !target.bridge && linksOrAttempts >= MIN_LINKS_BEFORE_OPTIONAL);
                linksOrAttempts++;
            } else if (wait < after) {
                after = wait;
            }
        }
        return after;
    }

    // Whether address is one of the addresses this peer was given to connect to.
    private boolean isDirect(String address) {
        for (PeerAddress peer : directPeers.values()) {
            if (address.equals(completeAddress(peer))) {
                return true;
            }
        }
        return false;
    }

    // Mesh dials its own address when another peer's inbound connection points at this
    // peer's port, and learns only from the handshake that it reached itself.
    private boolean isOwnListenAddress(String address) {
        InetSocketAddress own = router.listenAddress();
        return own != null && !own.getAddress().isAnyLocalAddress() && address.equals(PeerAddress.join(own));
    }

    private String completeAddress(PeerAddress peer) {
        try {
            InetAddress address = InetAddress.getByName(peer.host());
            return PeerAddress.join(address.getHostAddress(), peer.port() == 0 ? router.port() : peer.port());
        } catch (UnknownHostException e) {
            LOG.warn("cannot resolve peer address {}: {}", peer.host(), e.getMessage());
            return null;
        }
    }
}
