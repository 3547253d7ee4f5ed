package org.nostrp2p.overlay;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Routes;
import org.nostrp2p.overlay.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer of a weaveworks/mesh overlay: it listens, connects, keeps the topology, computes
 * routes and carries the application's gossip channels (mesh {@code Router}).
 *
 * <p>Build one with {@link #builder()}, register channels with {@link #newGossip}, then
 * {@link #start()}. Thread-safe; no method blocks on the network except {@link #start()}
 * (until the socket is bound) and {@link #stop()} (until connections are closed).
 */
public final class Router implements AutoCloseable {

    /** Mesh's default port. */
    public static final int DEFAULT_PORT = 6783;
    /** How many connections make discovery stop dialling, unless the builder says otherwise. */
    public static final int DEFAULT_TARGET_DEGREE = 6;

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LOG);

    private final PeerName name;
    private final String nickName;
    private final String host;
    private final int configuredPort;
    private final int connLimit;
    private final int targetDegree;
    private final boolean peerDiscovery;
    private final TrustedSubnets trustedSubnets;
    private final Duration gossipInterval;
    private final Duration topologyGossipInterval;

    final LocalPeer localPeer;
    /** What every connection of this router is set up with. */
    private final ConnectionSettings connectionSettings;
    /** This router as its connections see it. */
    private final ConnectionHost connectionHost;
    private final Initiator initiator;
    private final ScheduledExecutorService actor;
    private final ScheduledExecutorService connectionMakerActor;
    private final ConnectionMaker connectionMaker;
    private final ExecutorService gossipPool;
    private final GossipChannels gossipChannels;
    private final StatusReport statusReport;
    private final Acceptor acceptor;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    final RouterCounters counters = new RouterCounters();
    private final MembershipEvents membership;
    /** Beyond mesh: names disconnected for going over their budget, refused for a while. */
    final Suspensions suspensions = new Suspensions();
    /** Beyond mesh: connection slots cannot be hoarded (see {@link SlotGuard}). */
    final SlotGuard slotGuard = new SlotGuard(counters);
    /** Beyond mesh: this router's connection lines an attacker can repeat, one a minute per cause. */
    final RateLimitedLog connectionLog = new RateLimitedLog(LoggerFactory.getLogger(Connection.class));
    private final ChannelGroup allChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private volatile InetSocketAddress listenAddress;
    private volatile boolean started;
    private volatile boolean stopped;

    private Router(Builder b) {
        this.name = b.name != null ? b.name : randomName();
        this.nickName = b.nickName != null ? b.nickName : defaultNickName();
        this.host = b.host;
        this.configuredPort = b.port;
        this.connLimit = b.connLimit;
        this.targetDegree = b.targetDegree;
        this.peerDiscovery = b.peerDiscovery;
        this.trustedSubnets = TrustedSubnets.parse(b.trustedSubnets, b.loopbackExempt);
        this.gossipInterval = b.gossipInterval;
        this.topologyGossipInterval = b.topologyGossipInterval;
        String thread = "overlay-" + name;
        EventLoop home = null;
        if (b.sharedIo != null) {
            // routers sharing I/O threads share them for their actors too (see LoopActor)
            home = (EventLoop) b.sharedIo.group().next();
            this.actor = new LoopActor(home);
            this.connectionMakerActor = new LoopActor(home);
        } else {
            this.actor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, thread + "-router"));
            this.connectionMakerActor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, thread + "-connection-maker"));
        }
        this.gossipPool = Executors.newCachedThreadPool(r -> daemon(r, thread + "-gossip"));
        this.ownsGroup = b.sharedIo == null;
        // sharing: every channel of this router on its actor's loop, so what the actor writes
        // is written at once and a channel registers without a task on another loop's queue
        this.group = home != null ? home : IoLoops.own(b.ioThreads, r -> daemon(r, thread + "-io"));
        this.membership = new MembershipEvents(name);
        // the connection maker reads the local peer's state through the dialer, once it runs
        this.connectionMaker = new ConnectionMaker(new RouterDialer(), connectionMakerActor, peerDiscovery);
        this.localPeer = new LocalPeer(new LocalPeer.Collaborators(connectionMaker, slotGuard, suspensions,
                trustedSubnets, targetDegree, connLimit, this::sendAllGossipDown,
                () -> stopped), actor, name, nickName, counters, membership);
        this.connectionSettings = new ConnectionSettings(name, nickName, localPeer.uid(), b.password, b.heartbeatMillis,
                trustedSubnets, b.outboundBudgetBytes, b.neighbourFramesPerSecond, b.neighbourBytesPerSecond, targetDegree,
                connLimit);
        this.gossipChannels = new GossipChannels(name, localPeer::state, counters, gossipPool, actor, gossipInterval,
                (from, buffer, offset, length) -> from.process(localPeer::execute, () -> {
                    // topology goes to the router's actor; application broadcasts do not wait behind it
                    try {
                        localPeer.receiveTopology(from, buffer, offset, length);
                    } catch (RuntimeException e) {
                        from.fail(e);
                    }
                }),
                (from, data) -> from.process(localPeer::execute, () -> {
                    try {
                        localPeer.receiveDigest(from, data);
                    } catch (RuntimeException e) {
                        from.fail(e);
                    }
                }), b.broadcastRepair);
        this.statusReport = new StatusReport(name, nickName, b.password != null, peerDiscovery, trustedSubnets.texts(),
                localPeer, connectionMaker, counters);
        this.connectionHost = new RouterConnectionHost(this::port, localPeer, gossipChannels, slotGuard, suspensions,
                counters, connectionLog);
        this.acceptor = new Acceptor(group, this::accepted);
        this.initiator = new Initiator(group, (ch, address, acceptNewPeer, optional) -> {
            allChannels.add(ch);
            Connection.attach(connectionSettings, connectionHost, ch, true, address, acceptNewPeer).optional = optional;
        }, connectionMaker::connectionAborted);
    }

    /** @return a builder with mesh's defaults (port 6783, connection limit 64, discovery on) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a channel; call before or after {@link #start()}. The gossiper is called on
     * a thread of the router's, one call at a time.
     *
     * @throws IllegalArgumentException when the channel is already registered (or is {@code topology})
     */
    public Gossip newGossip(String channel, Gossiper gossiper) {
        return gossipChannels.register(channel, gossiper);
    }

    /**
     * Starts listening and connecting; returns once the listening socket is bound.
     *
     * @throws IllegalStateException when already started, or the address cannot be bound
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            listenAddress = acceptor.bind(host, configuredPort);
        } catch (IllegalStateException e) {
            stop();
            throw e;
        }
        acceptor.startAccepting();
        actor.scheduleAtFixedRate(localPeer::gossipTopologyPeriodically, topologyGossipInterval.toMillis(),
                topologyGossipInterval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("overlay peer {}({}) listening on {}", name, nickName, PeerAddress.join(listenAddress));
    }

    /**
     * Adds {@code host:port} addresses to connect to and keep connecting to (mesh
     * {@code ConnectionMaker.InitiateConnections}); a missing port means this peer's own.
     *
     * @throws IllegalArgumentException for an address that is not {@code host[:port]} (see {@link PeerAddress#parseGiven})
     */
    public void connect(Collection<String> addresses) {
        connectionMaker.initiateConnections(addresses);
    }

    /**
     * Adds a listener for peers joining and leaving, connections and name collisions (see
     * {@link MembershipListener} for the thread it is called on). A listener added late first
     * hears a {@code peerJoined} for every peer reachable then.
     */
    public void addMembershipListener(MembershipListener listener) {
        membership.add(Objects.requireNonNull(listener, "listener"));
        localPeer.execute(localPeer::scheduleMembershipCheck);
    }

    /** Removes a listener added with {@link #addMembershipListener}. */
    public void removeMembershipListener(MembershipListener listener) {
        membership.remove(listener);
    }

    /** @return this peer's name */
    public PeerName name() {
        return name;
    }

    /** @return this peer's nickname */
    public String nickName() {
        return nickName;
    }

    /** @return where this peer listens (the real port when 0 was asked for); null before {@link #start()} */
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    /** @return the port this peer listens on (the real one once started) */
    public int port() {
        InetSocketAddress address = listenAddress;
        return address != null ? address.getPort() : configuredPort;
    }

    /** @return the next hop towards {@code destination}, if it is reachable over links both ends confirm */
    public java.util.Optional<PeerName> unicastNextHop(PeerName destination) {
        return localPeer.state().routes().unicast(destination);
    }

    /**
     * @return how many other peers this peer has a unicast route to (over links both ends
     *     confirm); the routes are computed once per change of the topology, so a poll of
     *     many routers while they join costs a route computation each (see
     *     {@link #linkedPeerCount} for a cheap bound)
     */
    public int reachablePeerCount() {
        return localPeer.state().routes().unicastTable().size() - 1;
    }

    /**
     * @return how many other peers this peer reaches over the links every peer reports,
     *     whether or not both ends confirm them: never below {@link #reachablePeerCount}, and
     *     cheap (kept as the topology changes, no route computed), so a poll asks for the
     *     routes only once this count is complete
     */
    public int linkedPeerCount() {
        RoutingState state = localPeer.state();
        return state.routes().topology().peers().size() - 1 - state.unreachable();
    }

    /** @return how many connections this peer has registered now; cheap */
    public int connectionCount() {
        return localPeer.state().connections().size();
    }

    /**
     * @return a snapshot of this peer's state: peers, connections, routes, targets (waits
     *     briefly for the connection maker's part)
     */
    public RouterStatus status() {
        return statusReport.of(listenAddress, stopped);
    }

    /** Closes every connection and the listening socket; waits until they are closed. Idempotent. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        connectionMaker.stop();
        localPeer.stopNews();
        acceptor.close();
        try {
            localPeer.call(() -> {
                localPeer.closeAll("this peer is stopping");
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing connections: {}", e.toString());
        }
        allChannels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        try {
            // let the actor finish forgetting the closed connections before the event loops go
            localPeer.call(() -> null).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("draining the router: {}", e.toString());
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        actor.shutdown();
        membership.stop();
        connectionMakerActor.shutdown();
        gossipPool.shutdown();
        try {
            actor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (listenAddress != null) {
            LOG.info("overlay peer {}({}) stopped", name, nickName);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "Router[" + name + "(" + nickName + ")]";
    }

    // ---- internal: the parts tests in this package look into ----

    ConnectionMaker connectionMaker() {
        return connectionMaker;
    }

    GossipChannels gossipChannels() {
        return gossipChannels;
    }

    // for the local peer, which is made before the gossip channels it needs this of
    private void sendAllGossipDown(Connection connection) {
        gossipChannels.sendAllGossipDown(connection);
    }

    // an accepted channel, on its event loop, before it is read
    private void accepted(SocketChannel ch) {
        allChannels.add(ch);
        String remote = PeerAddress.join(ch.remoteAddress());
        LOG.debug("->[{}] connection accepted", remote);
        slotGuard.accepted(Connection.attach(connectionSettings, connectionHost, ch, false, remote, true), trustedSubnets.exemptFromAddressRule(remote));
    }

    /**
     * Dials {@code address} ({@code ip:port}) for the connection maker; {@code optional}: a
     * discovered peer this peer does not need (it has links already), which may refuse.
     */
    void dial(String address, boolean acceptNewPeer, boolean optional) {
        if (!stopped) {
            initiator.dial(address, acceptNewPeer, optional);
        }
    }

    private static PeerName randomName() {
        byte[] bytes = new byte[PeerName.BYTES];
        new SecureRandom().nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0xFC) | 0x02); // a locally administered, unicast MAC
        return PeerName.fromBytes(bytes);
    }

    private static String defaultNickName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "overlay-peer";
        }
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    /** The router as its connection maker sees it. */
    private final class RouterDialer implements Dialer {
        @Override
        public void dial(String address, boolean acceptNewPeer, boolean optional) {
            Router.this.dial(address, acceptNewPeer, optional);
        }

        @Override
        public PeerName name() {
            return name;
        }

        @Override
        public int port() {
            return Router.this.port();
        }

        @Override
        public InetSocketAddress listenAddress() {
            return listenAddress;
        }

        @Override
        public int targetDegree() {
            return targetDegree;
        }

        @Override
        public Topology topology() {
            return localPeer.state().routes().topology();
        }

        @Override
        public Routes routes() {
            return localPeer.state().routes();
        }

        @Override
        public int unreachableCount() {
            return localPeer.state().unreachable();
        }
    }

    /**
     * Settings of a {@link Router}. Not thread-safe; {@link #build()} copies what it needs.
     * Defaults: a random name, the host name as nickname, 0.0.0.0:6783, 64 connections, discovery
     * on up to 6 connections (both directions), no password, no trusted subnets, application gossip every 30 s, topology gossip every 10 s.
     */
    public static final class Builder {
        private PeerName name;
        private String nickName;
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int connLimit = 64;
        private int targetDegree = DEFAULT_TARGET_DEGREE;
        private boolean peerDiscovery = true;
        private byte[] password;
        private List<String> trustedSubnets = List.of();
        private Duration gossipInterval = Duration.ofSeconds(30);
        private Duration topologyGossipInterval = Duration.ofSeconds(10);
        private int ioThreads = 2;
        private long heartbeatMillis = Connection.HEARTBEAT_MILLIS;
        private long outboundBudgetBytes = OutboundBudget.DEFAULT_MAX_BYTES;
        private double neighbourFramesPerSecond = NeighbourBudget.FRAMES_PER_SECOND;
        private double neighbourBytesPerSecond = NeighbourBudget.BYTES_PER_SECOND;
        private boolean loopbackExempt = true;
        private boolean broadcastRepair = true;
        private SharedIo sharedIo;

        private Builder() {
        }

        /** This peer's name ({@code mac} flavour). */
        public Builder name(PeerName name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** A human-readable name shown to other peers. */
        public Builder nickName(String nickName) {
            this.nickName = Objects.requireNonNull(nickName, "nickName");
            return this;
        }

        /** {@code host} to bind, {@code port} 0 for any free port. */
        public Builder listen(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** The most connections this peer keeps, 0 for no limit (mesh {@code ConnLimit}). */
        public Builder connLimit(int connLimit) {
            if (connLimit < 0) {
                throw new IllegalArgumentException("connLimit must be >= 0, got " + connLimit);
            }
            this.connLimit = connLimit;
            return this;
        }

        /**
         * Beyond mesh: how many connections make discovery stop dialling the peers it learns of
         * (addresses given to {@link Router#connect} are always dialled, and peers may still
         * dial this one up to the connection limit). 0 dials every discovered peer, as mesh
         * does. Default {@value Router#DEFAULT_TARGET_DEGREE}.
         */
        public Builder targetDegree(int degree) {
            if (degree < 0) {
                throw new IllegalArgumentException("targetDegree must be >= 0, got " + degree);
            }
            this.targetDegree = degree;
            return this;
        }

        /** Whether to connect to peers learnt from the topology (mesh {@code PeerDiscovery}). */
        public Builder peerDiscovery(boolean enabled) {
            this.peerDiscovery = enabled;
            return this;
        }

        /**
         * The mesh password (mesh {@code Config.Password}), copied; null (the default) for a
         * plain mesh. With one, every connection is encrypted and authenticated as mesh does it
         * (a Curve25519 key exchange in the handshake, then NaCl secretbox frames under
         * SHA-256(shared key ‖ password)), and only peers with the same password can connect:
         * a peer without one, or with another, is refused with a message that says which.
         * It is a shared secret: every peer of the mesh can read everything sent on it.
         *
         * @throws IllegalArgumentException when it is empty (mesh would treat an empty password
         *     as a password; an empty password file is far more likely a mistake)
         */
        public Builder password(byte[] password) {
            if (password != null && password.length == 0) {
                throw new IllegalArgumentException("the mesh password is empty");
            }
            this.password = password == null ? null : password.clone();
            return this;
        }

        /** Subnets (CIDR) whose peers this peer trusts; sent to them as the {@code Trusted} feature. */
        public Builder trustedSubnets(List<String> subnets) {
            this.trustedSubnets = List.copyOf(subnets);
            return this;
        }

        /** How often each application channel's complete state goes to random neighbours (mesh: 30 s). */
        public Builder gossipInterval(Duration interval) {
            this.gossipInterval = positive(interval);
            return this;
        }

        /** How often the complete topology goes to random neighbours (mesh: 30 s; here 10 s by default). */
        public Builder topologyGossipInterval(Duration interval) {
            this.topologyGossipInterval = positive(interval);
            return this;
        }

        /** For tests: the heartbeat interval (mesh: 30 s); the read deadline is twice it. */
        Builder heartbeatInterval(Duration interval) {
            this.heartbeatMillis = positive(interval).toMillis();
            return this;
        }

        /**
         * Beyond mesh: the most bytes one connection may have waiting to be sent; a peer that
         * lets more pile up (it does not read) is disconnected at once, instead of at the write
         * deadline. At least one largest frame (10 MiB); default 16 MiB.
         */
        public Builder outboundBudget(long bytes) {
            if (bytes < org.nostrp2p.overlay.wire.WireCodec.MAX_FRAME_BYTES + 1L) {
                throw new IllegalArgumentException("the outbound budget must hold one largest frame, got " + bytes);
            }
            this.outboundBudgetBytes = bytes;
            return this;
        }

        /**
         * Beyond mesh: how much one neighbour may send this peer, sustained, whatever it claims to
         * relay (defaults 2,000 frames and 8 MiB a second; bursts of ten seconds' frames and four
         * seconds' bytes). Over it the connection is first not read (TCP slows the sender); a
         * neighbour that stays over it for 5 s is disconnected and its name suspended for a
         * while. Raise it for an application that broadcasts faster than that (the defaults
         * suit a microblog; the encryption benchmark raises it).
         *
         * @throws IllegalArgumentException unless both are positive
         */
        public Builder neighbourBudget(double framesPerSecond, double bytesPerSecond) {
            if (!(framesPerSecond > 0) || !(bytesPerSecond > 0)) {
                throw new IllegalArgumentException("a neighbour budget must be positive, got " + framesPerSecond
                        + " frames/s and " + bytesPerSecond + " bytes/s");
            }
            this.neighbourFramesPerSecond = framesPerSecond;
            this.neighbourBytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * Beyond mesh: whether broadcasts reach every Java peer once even while peers' views of
         * the topology differ (default on). Mesh relays a broadcast along a tree each relay
         * computes from its own view; while links change, a peer can be left out or get it
         * twice. With this on, a Java peer that relays a broadcast tells its other Java
         * neighbours the message's id; one that has not had it by the tree within 100 ms asks
         * for it ({@link RouterStatus.Counters#broadcastsRepaired}), and a copy of a message
         * already delivered is dropped ({@link RouterStatus.Counters#broadcastCopiesDropped}).
         * A message is known by its channel, source and bytes, so the same bytes broadcast
         * again by the same source within a minute reach each Java peer's gossiper once: an
         * application that repeats identical broadcasts and needs every one delivered puts
         * something that changes (a counter, a time) in them, or turns this off. Messages over
         * 256 KiB go by the tree alone. Go peers are unaffected either way.
         */
        public Builder broadcastRepair(boolean enabled) {
            this.broadcastRepair = enabled;
            return this;
        }

        /**
         * Runs this router's connections, and its topology and connection-making work, on
         * one of {@code io}'s threads instead of threads of its own ({@link #ioThreads} is then
         * ignored), for many routers in one process (tests, the benchmark): a hundred routers
         * then need two threads, not three hundred. Each router takes the next thread as it is
         * built and keeps all of its work there, so what it writes goes out without a hop to
         * another thread's queue. Gossipers are still called on the router's
         * gossip threads. Do not call {@link Router#status()} or {@link Router#stop()} from one
         * of {@code io}'s threads. The router does not close it.
         */
        public Builder sharedIo(SharedIo io) {
            this.sharedIo = Objects.requireNonNull(io, "io");
            return this;
        }

        /** For tests: whether loopback addresses are exempt from the per-address slot rule (default true). */
        Builder loopbackExemptFromAddressRule(boolean exempt) {
            this.loopbackExempt = exempt;
            return this;
        }

        /** Netty I/O threads (default 2). */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1");
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * @return the router, not yet started
         * @throws IllegalArgumentException for a malformed trusted subnet
         */
        public Router build() {
            TrustedSubnets.parse(trustedSubnets, loopbackExempt);
            return new Router(this);
        }

        private static Duration positive(Duration d) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("interval must be positive, got " + d);
            }
            return d;
        }
    }
}
