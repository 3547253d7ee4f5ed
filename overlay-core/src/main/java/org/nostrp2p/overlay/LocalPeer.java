package org.nostrp2p.overlay;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peer;
import org.nostrp2p.overlay.topology.Peers;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.WireCodec;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer and its connections (mesh {@code localPeer}, local_peer.go), and the topology it
 * knows ({@link Peers}): an actor. Its state is touched only by tasks on its single-threaded
 * executor; after every change it publishes an immutable {@link RoutingState} that any thread
 * may read with {@link #state()}.
 */
final class LocalPeer {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPeer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * How long a connection over the limit stays open after this peer told it the topology, and
     * the longest a newcomer passed on waits to be told (see {@link PassOn}).
     */
    static final long LIMIT_GRACE_MILLIS = 1_000;
    /** How long a full seed that passed this peer on may take to send its topology. */
    static final long FULL_SEED_READ_MILLIS = 10_000;
    /**
     * How long a deleted connection waits for a replacement to hand what it had not sent to
     * (see {@link Connection#handOverTo}).
     */
    static final long HAND_OVER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Collaborators around;
    private final ScheduledExecutorService actor;
    private final PeerName name;
    private final String nickName;
    private final long uid;
    private final Peers peers;
    private final Map<PeerName, Connection> connections = new HashMap<>();
    // Connections deleted in the last HAND_OVER_NANOS, by remote name: the next connection
    // registered to that peer takes over what they had not sent.
    private final Map<PeerName, Departure> departed = new HashMap<>();
    // UIDs under which another incarnation of this peer's name was seen (each reported once).
    private final Set<Long> otherSelfUids = new java.util.HashSet<>();
    private static final int MAX_REMEMBERED_SELF_UIDS = 64;
    private volatile RoutingState state;
    private final RouterCounters counters;
    private final TopologyNews news;
    private final PassOn passOn;
    private boolean collectScheduled;
    // connections to full seeds being read (not registered): their topology is kept meanwhile
    private int readingFromFullSeeds;
    // when a full seed last told this peer the topology (System.nanoTime), 0 for never
    private long lastToldByFullSeed;
    // a full peer passed this one on and it has had no link since (see passedOnWithoutLink)
    private volatile boolean passedOnWithoutLink;
    private final MembershipEvents membership;
    private boolean membershipCheckScheduled;
    /** Tells a live twin from a restart by what the topology says over time. */
    private final CollisionEvidence collisions;
    /** How long after a routing change membership listeners hear of joins and departures. */
    static final long MEMBERSHIP_CHECK_MILLIS = 100;
    /** How long after a change unreachable peers are collected: one walk for a burst of changes. */
    static final long COLLECT_DELAY_MILLIS = 100;
    /** How long a peer with no link keeps the topology a full seed told it (see collectGarbage). */
    static final long KEEP_WHILE_LINKLESS_MILLIS = 10_000;

    /**
     * What the local peer works with, beside its own state: the router's other parts, each as
     * narrow as the local peer's use of it.
     *
     * @param connectionMaker   hears of links made and ended, and of newcomers passed on or handed off
     * @param slotGuard         refuses a link that would take the last slots from established peers
     * @param suspensions       names refused for a while (neighbours cut for their budgets)
     * @param trustedSubnets    which remote addresses the slot guard's address rule exempts
     * @param targetDegree      the router's target degree, 0 for none
     * @param connLimit         the router's connection limit, 0 for none
     * @param sendAllGossipDown sends every gossip channel's complete state down a new link
     * @param stopped           whether the router is stopping (no more work is scheduled then)
     */
    record Collaborators(ConnectionMaker connectionMaker, SlotGuard slotGuard, Suspensions suspensions,
                         TrustedSubnets trustedSubnets, int targetDegree, int connLimit,
                         java.util.function.Consumer<Connection> sendAllGossipDown,
                         java.util.function.BooleanSupplier stopped) {
    }

    LocalPeer(Collaborators around, ScheduledExecutorService actor, PeerName name, String nickName,
              RouterCounters counters, MembershipEvents membership) {
        this.around = around;
        this.membership = membership;
        this.counters = counters;
        this.actor = actor;
        this.name = name;
        this.nickName = nickName;
        long u;
        do {
            u = RANDOM.nextLong();
        } while (u == 0); // UID 0 marks a placeholder
        this.uid = u;
        this.peers = new Peers(new PeerSummary(name, nickName, uid, 0, RANDOM.nextInt(1 << Peers.SHORT_ID_BITS), true));
        this.news = new TopologyNews(name, peers, actor, this::execute, counters);
        this.passOn = new PassOn(actor, name, peers, around.targetDegree());
        this.collisions = new CollisionEvidence(name, uid, peers, membership);
        publish();
    }

    PeerName name() {
        return name;
    }

    String nickName() {
        return nickName;
    }

    long uid() {
        return uid;
    }

    int shortId() {
        return state.routes().topology().peer(name).summary().shortId();
    }

    /** @return the latest published routes and connections; any thread */
    RoutingState state() {
        return state;
    }

    /** Actor thread only. */
    Peers peers() {
        return peers;
    }

    /** Actor thread only: how many names the links' records of what neighbours have hold. */
    int topologyNamesRecorded() {
        return news.namesRecorded();
    }

    /** Runs {@code task} on the actor; exceptions are logged, never lost. */
    void execute(Runnable task) {
        actor.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("internal error in the router of {}", name, e);
            }
        });
    }

    <T> CompletableFuture<T> call(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, actor);
    }

    /**
     * @return up to {@link FeatureExchange#HAND_OFF_MAX} addresses of peers with room, for this
     *     peer at its limit to hand a dialler on to in its features; any thread (see {@link PassOn#addresses})
     */
    List<String> handOff() {
        return passOn.addresses();
    }

    /** Registers a connection whose features have come (mesh {@code registerRemote} and {@code handleAddConnection}). */
    void register(Connection connection) {
        execute(() -> handleRegister(connection));
    }

    /** Forgets a connection that has closed (mesh {@code teardown} and {@code handleDeleteConnection}). */
    void connectionClosed(Connection connection) {
        execute(() -> handleClosed(connection));
    }

    // Mesh's registerRemote and handleAddConnection, in steps: who the remote peer is, which of
    // two connections to it stays, whether this one is a link at all, and the link's addition.
    private void handleRegister(Connection connection) {
        if (connection.closeReason() != null) {
            return;
        }
        PeerSummary remote = connection.remote();
        Peer stored = admissiblePeer(connection, remote);
        if (stored == null) {
            return;
        }
        boolean restarted = stored.uid() != remote.uid();
        if (!winsTieBreak(connection, remote)) {
            return;
        }
        if (!connection.outbound && connection.refusedAsOptional()) {
            // Beyond mesh: a discovered peer's optional link, refused when this peer had its
            // target degree as the handshake began (the dialler read that and closes it too),
            // so degrees stay near the target however many dial one peer together
            connection.fail("refused an optional link: this peer has its target degree "
                    + around.targetDegree(), Connection.Ending.OPTIONAL_REFUSED);
            return;
        }
        if (connection.outbound && connection.remoteAtLimit()) {
            readFromFullSeed(connection);
            return;
        }
        if (refusedForRoom(connection)) {
            return;
        }
        addLink(connection, remote, restarted);
    }

    // The remote peer's entry, or null when the connection was closed: a twin of this peer, a
    // suspended neighbour, an unknown name where only known ones are welcome, or this peer itself.
    private Peer admissiblePeer(Connection connection, PeerSummary remote) {
        if (remote.name().equals(name) && remote.uid() != uid) {
            membership.collision(name, uid, remote.uid());
            connection.fail("local " + name + "(" + nickName + ") and remote " + remote.name() + "(" + remote.nickName()
                    + ") peer names collide: another peer is running with this peer's name", Connection.Ending.NAME_COLLISION);
            return null;
        }
        if (around.suspensions().suspended(remote.name())) {
            // beyond mesh: disconnected for going over its budget a moment ago (see Suspensions)
            connection.fail("peer " + remote.name() + " is suspended for going over its budget");
            return null;
        }
        Peer stored;
        if (connection.acceptNewPeer) {
            stored = peers.fetchWithDefault(remote);
        } else {
            stored = peers.fetch(remote.name());
            if (stored == null) {
                connection.fail("found unknown remote name " + remote.name() + " at " + connection.remoteTcpAddr);
                return null;
            }
            peers.fetchWithDefault(remote);
        }
        connection.holdsPeerReference = true;
        if (stored == peers.ourself()) {
            connection.fail("cannot connect to ourself", Connection.Ending.CONNECT_TO_SELF);
            return null;
        }
        return stored;
    }

    // With another connection to the same peer registered: whether this one is kept (the other
    // is then retired), or retired itself.
    private boolean winsTieBreak(Connection connection, PeerSummary remote) {
        Connection duplicate = connections.get(remote.name());
        if (duplicate == null || duplicate == connection) {
            return true;
        }
        String duplicateError = "multiple connections to " + remote.name() + "(" + remote.nickName() + ") added to "
                + name + "(" + nickName + ")";
        // Both ends keep the connection with the smaller uid. Beyond mesh, the other one is
        // retired rather than closed, so what the remote peer sent on it before it learnt
        // of the tie-break is still read (see Connection.retire).
        if (duplicate.remote().uid() != remote.uid()) {
            // two connections registering one name with two UIDs at once: two live peers
            membership.collision(remote.name(), duplicate.remote().uid(), remote.uid());
        }
        int order = Long.compareUnsigned(connection.uid(), duplicate.uid());
        if (order > 0) {
            connection.retire(duplicateError);
            return false;
        }
        duplicate.retire(duplicateError);
        deleteConnection(duplicate);
        if (order == 0) {
            connection.retire(duplicateError);
            return false;
        }
        return true;
    }

    // Beyond mesh: a full seed passed this peer on. Its connection is read for the peers it
    // hands on or the topology it sends, without making it a link anyone hears of.
    private void readFromFullSeed(Connection connection) {
        LOG.info("{} the remote peer is at its connection limit; reading its topology, not registering",
                connection.logPrefix());
        connection.activate();
        readingFromFullSeeds++;
        lastToldByFullSeed = System.nanoTime();
        connection.countedAsFullSeed = true;
        passedOnWithoutLink = connections.isEmpty();
        List<String> handedTo = connection.handedOffTo();
        if (!handedTo.isEmpty()) {
            // handed on in its features: dialled now; no topology message to wait for
            around.connectionMaker().handedOff(handedTo);
            hangUpOnFullSeed(connection, 0);
            return;
        }
        around.connectionMaker().passedOn(connection);
        // closed a moment after its topology comes (receiveTopology), or if it never does;
        // a busy seed sends it seconds after the handshake, and a newcomer that hung up
        // first would dial the seed again, its only contact, and be passed on again
        hangUpOnFullSeed(connection, FULL_SEED_READ_MILLIS);
    }

    // At the connection limit, full for a Java newcomer, or refused by the slot guard: the
    // newcomer is passed on (told of others first) and true is returned.
    private boolean refusedForRoom(Connection connection) {
        int limit = around.connLimit();
        if ((limit > 0 && connections.size() >= limit) || (!connection.outbound && connection.saidAtLimit()
                && connection.remoteIsJava())) {
            refuseAtLimit(connection, limit);
            return true;
        }
        String slotRefusal = around.slotGuard().refusal(connection, connections.values(), limit,
                around.trustedSubnets().exemptFromAddressRule(connection.remoteTcpAddr));
        if (slotRefusal != null) {
            // beyond mesh (see SlotGuard): refused as at the limit, told about the others first
            passOn.tellThenClose(connection, slotRefusal, !connections.isEmpty());
            return true;
        }
        return false;
    }

    // The connection becomes a link: published in this peer's entry (two versions, as mesh),
    // handed what a connection it replaces had not sent, told the topology and every
    // channel's state when the peer is new to it, then read.
    private void addLink(Connection connection, PeerSummary remote, boolean restarted) {
        boolean connectedPeer = current().routes().unicastTable().containsKey(remote.name());
        connections.put(remote.name(), connection);
        passedOnWithoutLink = false;
        around.slotGuard().established(remote.name());
        updateOwnConnections(); // mesh: addConnection, Version++
        connection.markEstablished();
        updateOwnConnections(); // mesh: connectionEstablished, Version++ (no overlay: at once)
        publish();
        passOn.linkRegistered();
        connection.releaseAdmission();
        Departure departure = departed.remove(remote.name());
        Connection replaced = departure != null && System.nanoTime() - departure.nanos() <= HAND_OVER_NANOS
                ? departure.connection() : null;
        membership.connectionUp(remote.name(), connection.remoteTcpAddr, connection.outbound);
        LOG.info("{} connection added{}", connection.logPrefix(),
                restarted ? " (restarted peer)" : connectedPeer ? replaced != null ? " (replacing one)" : "" : " (new peer)");
        if (replaced != null) {
            replaced.handOverTo(connection);
        }
        // Beyond mesh: a connection that replaces one (a duplicate dropped by the tie-break, a
        // reconnection) gets the complete state too, as a new peer's does: what was in flight
        // on the old one may be lost (a Go peer closes a duplicate at once), and mesh would
        // wait for periodic gossip to repair it.
        boolean dump = restarted || !connectedPeer || replaced != null;
        news.linkAdded(connection, dump);
        if (dump) {
            around.sendAllGossipDown().accept(connection);
        }
        news.news(List.of(name, remote.name()));
        connection.activate();
        around.connectionMaker().connectionCreated(connection);
    }


    // Ends a full seed's connection (read, not registered) as the seed's, after delayMillis.
    private void hangUpOnFullSeed(Connection connection, long delayMillis) {
        actor.schedule(() -> connection.fail(Connection.FULL_SEED_REASON, Connection.Ending.REMOTE_FULL),
                delayMillis, TimeUnit.MILLISECONDS);
    }

    // At the connection limit, or a full seed to a Java newcomer: passed on (see PassOn).
    private void refuseAtLimit(Connection connection, int limit) {
        passOn.tellThenClose(connection, "connection limit reached (" + connections.size() + " of " + limit
                + "); told the peer about the others", !connections.isEmpty());
    }

    private void handleClosed(Connection connection) {
        if (connection.countedAsFullSeed) {
            connection.countedAsFullSeed = false;
            readingFromFullSeeds--;
        }
        PeerName remoteName = connection.remoteName();
        if (remoteName != null && connection.holdsPeerReference) {
            connection.holdsPeerReference = false;
            peers.dereference(remoteName);
        }
        if (remoteName != null && connections.get(remoteName) == connection) {
            deleteConnection(connection);
        } else if (remoteName != null) {
            scheduleCollect();
        }
        around.connectionMaker().connectionTerminated(connection);
    }

    private void deleteConnection(Connection connection) {
        if (connections.get(connection.remoteName()) != connection) {
            return;
        }
        PeerName remoteName = connection.remoteName();
        connections.remove(remoteName);
        long now = System.nanoTime();
        departed.values().removeIf(d -> now - d.nanos() > HAND_OVER_NANOS);
        departed.put(remoteName, new Departure(connection, now));
        updateOwnConnections();
        news.linkRemoved(connection);
        LOG.info("{} connection deleted", connection.logPrefix());
        membership.connectionDown(remoteName, connection.remoteTcpAddr, connection.closeReason());
        publish();
        news.news(List.of(name));
        scheduleCollect();
    }

    // Mesh 2018 walks the topology after every update; one walk for a burst of changes does.
    private void scheduleCollect() {
        if (collectScheduled || around.stopped().getAsBoolean()) {
            return;
        }
        collectScheduled = true;
        try {
            actor.schedule(() -> execute(this::collectGarbage), COLLECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            collectScheduled = false;
        }
    }

    private void collectGarbage() {
        collectScheduled = false;
        if (readingFromFullSeeds > 0) {
            // what a full seed told us is unreachable until we dial someone it named: keep it
            scheduleCollect();
            return;
        }
        if (connections.isEmpty() && lastToldByFullSeed != 0
                && System.nanoTime() - lastToldByFullSeed < TimeUnit.MILLISECONDS.toNanos(KEEP_WHILE_LINKLESS_MILLIS)) {
            // and while this peer has no link yet (its first dials were refused or are still
            // in their handshake): collected, it would know nobody but the full seed, and wait
            // for that seed's backoff (seconds) to hear of the others again
            scheduleCollect();
            return;
        }
        List<Peer> removed = peers.garbageCollect();
        if (removed.isEmpty()) {
            return;
        }
        for (Peer peer : removed) {
            LOG.info("Removed unreachable peer {}", peer);
        }
        news.forget(removed);
        publish();
    }

    private void updateOwnConnections() {
        Map<PeerName, ConnectionSummary> summaries = new HashMap<>();
        for (Connection c : connections.values()) {
            summaries.put(c.remoteName(), c.summary());
        }
        peers.setOwnConnections(summaries);
    }

    /**
     * Applies topology news that came on {@code from} (tag 4 or tag 6, mesh's
     * {@code OnGossip}/{@code OnGossipBroadcast}); actor thread only. What was new goes on to
     * every neighbour that lacks it, tag 4 and 6 alike (see {@link TopologyNews}).
     */
    void receiveTopology(Connection from, byte[] buffer, int offset, int length) {
        // entries this peer has are read without their links (three in five while an overlay forms)
        List<PeerUpdate> updates = WireCodec.decodeTopology(buffer, offset, length, peers::has);
        collisions.note(updates);
        counters.topologyMessagesReceived.increment();
        // beyond mesh: a neighbour brings new topology within its budget (see NeighbourBudget)
        if (!from.backPressure(from.budget.chargeTopology(NeighbourBudget.topologyEntries(updates, peers),
                System.nanoTime()), "topology entries per second", false)) {
            return;
        }
        news.received(from, updates);
        Peers.Applied applied = peers.applyUpdate(updates, false);
        if (from.countedAsFullSeed && !from.fullSeedTold) {
            // the full seed's topology: read, the connection has served its purpose
            from.fullSeedTold = true;
            lastToldByFullSeed = System.nanoTime();
            hangUpOnFullSeed(from, 2 * LIMIT_GRACE_MILLIS);
        }
        counters.topologyEntriesReceived.add(updates.size());
        counters.topologyEntriesNew.add(applied.newUpdate().size());
        for (long otherUid : applied.otherSelfUids()) {
            // UID 0 is a Go peer's placeholder for this peer (a name it has heard of, not an
            // incarnation): its version is still moved beyond, as Go does, without a warning
            if (otherUid != 0 && otherSelfUids.add(otherUid) && otherSelfUids.size() <= MAX_REMEMBERED_SELF_UIDS) {
                LOG.warn("the overlay describes a peer with this peer's name {} but another UID ({}): if this peer has"
                        + " just restarted that is its old incarnation, which this one supersedes; otherwise another"
                        + " peer runs with the same name and the two will keep displacing each other",
                        name, Long.toUnsignedString(otherUid));
            }
        }
        if (!applied.newUpdate().isEmpty() || applied.localPeerModified()) {
            counters.topologyUpdatesApplied.increment();
            publishSoon();
        }
        if (!applied.newUpdate().isEmpty()) {
            news.news(applied.newUpdate());
            around.connectionMaker().refresh();
            scheduleCollect();
        }
        if (applied.localPeerModified()) {
            news.news(List.of(name));
        }
        news.correct(from, updates);
        news.receivedEntries(from, updates.size(), applied.newUpdate().size());
        news.placeholdersNamed(from, updates, applied.newUpdate());
    }

    /** A message on the Java-only digest channel ({@link TopologyDigest}); actor thread. A Go peer's is ignored. */
    void receiveDigest(Connection from, byte[] data) {
        if (!from.remoteIsJava()) {
            return;
        }
        TopologyDigest.Message message = TopologyDigest.decode(data);
        counters.topologyMessagesReceived.increment();
        switch (message.kind()) {
            case WANT -> news.receivedWant(from, message.entries().stream().map(TopologyDigest.Entry::name).toList());
            case DIGEST -> news.receivedDigest(from, message.entries(), false);
            case HELLO -> news.receivedDigest(from, message.entries(), true);
            case HAVE -> news.receivedHave(from, message.entries());
            case PRUNE -> news.receivedPrune(from);
        }
    }

    /**
     * @return whether a full peer passed this one on and it has had no link since; any thread.
     *     Its dials to Java peers then say so ({@link FeatureExchange#LINKLESS_FEATURE}).
     */
    boolean passedOnWithoutLink() {
        return passedOnWithoutLink;
    }

    /** @return names seen with two live UIDs lately; any thread */
    java.util.Set<PeerName> collidingNames() {
        return membership.colliding();
    }

    /** Periodic topology gossip (filtered, see {@link TopologyNews#periodic}); any thread. */
    void gossipTopologyPeriodically() {
        execute(news::periodic);
    }

    /** Stops sending topology news; any thread. */
    void stopNews() {
        news.stop();
    }

    /** A connection deleted at {@code nanos} ({@link System#nanoTime()}). */
    private record Departure(Connection connection, long nanos) {
    }

    /** Actor thread only. */
    private void publish() {
        publishQueued = false;
        state = new RoutingState(peers.routes(counters.routeRecomputations::increment), connections,
                peers.size() - peers.reachableCount());
        if (membership.listening()) {
            scheduleMembershipCheck();
        }
    }

    // Topology messages come in bursts (a peer with 8 links gets each piece of news up to 8
    // times, and hundreds of pieces while an overlay forms): the state is published once the
    // messages queued on the loop by then have been read, not after each (a snapshot of the
    // topology and its routes cost a seventh of a 500-peer join's CPU). Until then other
    // threads read the state before the burst; this actor reads current().
    private void publishSoon() {
        if (publishQueued) {
            return;
        }
        publishQueued = true;
        try {
            execute(() -> {
                if (publishQueued) {
                    publish();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            publish(); // stopping
        }
    }

    // The state with every change this actor made: published now if a burst left it pending. Actor thread.
    private RoutingState current() {
        if (publishQueued) {
            publish();
        }
        return state;
    }

    private boolean publishQueued;

    /** Actor thread: membership listeners hear of joins and departures once a burst of changes settles. */
    void scheduleMembershipCheck() {
        if (membershipCheckScheduled || around.stopped().getAsBoolean()) {
            return;
        }
        membershipCheckScheduled = true;
        try {
            actor.schedule(() -> execute(() -> {
                membershipCheckScheduled = false;
                membership.expire();
                membership.reachableNow(current().routes().unicastTable(), name, peer -> {
                    Peer known = peers.fetch(peer);
                    return known == null ? "" : known.summary().nickName();
                });
            }), MEMBERSHIP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            membershipCheckScheduled = false;
        }
    }

    /** Closes every connection; actor thread only. */
    void closeAll(String reason) {
        for (Connection c : List.copyOf(connections.values())) {
            c.fail(reason);
        }
    }
}
