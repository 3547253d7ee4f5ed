package org.nostrp2p.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.nostrp2p.model.EventLimits;
import org.nostrp2p.model.crypto.PublicKey;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.rest.RestServer;
import org.nostrp2p.rest.relay.RelayInformation;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.SqliteEventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NostrP2P server: one user's node of the microblog. It joins the overlay (a weaveworks/mesh
 * compatible {@code Router}, peer name = the last 6 bytes of the user's public key, gossip
 * channel {@code nostrp2p}), speaks the NostrP2P application protocol with the other servers,
 * Go or Java, keeps its events in SQLite under a data directory, and serves the user's client
 * over the REST API (port = overlay port + 1 unless set).
 *
 * <pre>{@code
 * NostrP2PServer server = NostrP2PServer.builder()
 *         .publicKey(PublicKey.parse("npub1..."))
 *         .listen("127.0.0.1", 20000)
 *         .bootstrapPeers(List.of("203.0.113.7:20000"))
 *         .build();
 * server.start();          // binds, joins, serves http://127.0.0.1:20001
 * ...
 * server.stop();
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} returns once the overlay and REST ports are bound;
 * {@link #stop()} releases every port, thread and file. The server never holds a secret key.
 */
public final class NostrP2PServer implements AutoCloseable {

    /** The name of the event database inside the data directory. */
    public static final String DATABASE_FILE = "events.db";

    private static final Logger LOG = LoggerFactory.getLogger(NostrP2PServer.class);

    private final Builder settings;
    private final String ownerHex;
    private final PeerName peerName;
    private final Path dataDirectory;
    private final int restPort;
    private final String restHost;

    private CountingEventStore store;
    private SqliteEventStore sqliteStore;
    private Overlay overlay;
    private RestServer rest;
    private WorkQueue work;
    private Admission admission;
    private ScheduledExecutorService scheduler;
    private PacketReceiver receiver;
    private IdentityWatch identityWatch;
    private boolean running;

    private NostrP2PServer(Builder settings) {
        this.settings = settings;
        this.ownerHex = settings.publicKey.toHex();
        this.peerName = PeerName.fromLastBytes(settings.publicKey.bytes());
        this.dataDirectory = settings.dataDirectory != null ? settings.dataDirectory
                : Path.of("").toAbsolutePath().resolve(defaultDataDirectoryName(settings.publicKey));
        this.restHost = settings.restHost != null ? settings.restHost : settings.host;
        // Port 0 asks for any free port: then the REST API takes any free port too.
        this.restPort = settings.restPort >= 0 ? settings.restPort : settings.port == 0 ? 0 : settings.port + 1;
    }

    /** @return a builder: overlay on 127.0.0.1:20000, REST on the next port, writable, no peers */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The data directory the Go server uses for a key, relative to the working directory: the
     * key's last 8 bytes in hex without leading zeros.
     *
     * @param publicKey the user's key
     * @return the directory name
     */
    public static String defaultDataDirectoryName(PublicKey publicKey) {
        byte[] key = publicKey.bytes();
        return Long.toUnsignedString(ByteBuffer.wrap(key, key.length - 8, 8).getLong(), 16);
    }

    /**
     * Opens the store, joins the overlay, starts serving the REST API and asks the overlay for
     * recent events.
     *
     * @throws org.nostrp2p.store.StoreException when the data directory's database cannot be
     *     opened (e.g. another server uses it)
     * @throws RuntimeException when a port cannot be bound or the TLS files cannot be used
     */
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("already started");
        }
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDirectory, e);
        }
        Clock clock = settings.clock;
        try {
            sqliteStore = SqliteEventStore.builder().path(dataDirectory.resolve(DATABASE_FILE))
                    .ownerPubkeyHex(ownerHex).maxEvents(settings.maxEvents).limits(settings.limits).clock(clock).open();
            LiveEventStore live = new LiveEventStore(sqliteStore);
            store = new CountingEventStore(live);
            work = new WorkQueue("nostrp2p-work-" + peerName, WorkQueue.MAX_TASKS, settings.workQueueBytes);
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "nostrp2p-timer-" + peerName));
            overlay = settings.overlayFactory != null ? settings.overlayFactory.apply(this)
                    : new RouterOverlay(peerName, "np2p-" + ownerHex.substring(0, 8), settings.host, settings.port, settings.bootstrapPeers,
                            settings.meshPassword);
            identityWatch = new IdentityWatch(clock, peerName);
            PacketSender sender = new PacketSender(overlay, identityWatch::isHeld);
            RecentIds seen = new RecentIds(50_000);
            RecentIds ownRequests = new RecentIds(1_000);
            Resender resender = new Resender(store, sender, clock);
            LogLimiter logs = new LogLimiter(clock);
            FollowedAuthors followed = new FollowedAuthors(ownerHex, store);
            admission = new Admission(clock, followed, settings.unfollowedEventsPerSecond, settings.unfollowedBurst);
            RequestAnswerer answerer = new RequestAnswerer(ownerHex, store, sender, clock, logs);
            RequestLimiter heardLimiter = new RequestLimiter(clock);
            receiver = new PacketReceiver(overlay, ownerHex, store, seen, ownRequests, work, clock, settings.limits, admission,
                    answerer, identityWatch,
                    peer -> {
                        if (store.resendQueue().size() > 0 && heardLimiter.allow(peer.toString(), Duration.ofSeconds(10), 3)) {
                            resender.peerHeard(peer);
                        }
                    },
                    resender::peerHeard, logs);
            Overlay joined = overlay;
            ClientBackend backend = new ClientBackend(ownerHex, store, sender, seen, clock, settings.limits, followed::refresh,
                    live::subscribe, () -> StatusReport.of(joined.routerStatus()));
            overlay.start(receiver);
            RestServer.Builder restBuilder = RestServer.builder().backend(backend).listen(restHost, restPort)
                    .writable(settings.writable)
                    .relayInformation(new RelayInformation("NostrP2P server of " + settings.publicKey.toNpub(),
                            "The NostrP2P server of one user: only its owner writes; posts come from the overlay.",
                            ownerHex, version()));
            if (settings.tlsCertificateChain != null) {
                restBuilder.tls(settings.tlsCertificateChain, settings.tlsPrivateKey);
            }
            rest = restBuilder.build();
            rest.start();
            long resendMillis = settings.resendInterval.toMillis();
            scheduler.scheduleWithFixedDelay(() -> guarded("resend", resender::resendDue),
                    resendMillis, resendMillis, TimeUnit.MILLISECONDS);
            new CatchUp(sender, overlay, ownRequests, receiver::eventsReceived, scheduler, clock, admission::catchUpRequested)
                    .schedule(settings.catchUpAttempts);
            running = true;
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        LOG.info("NostrP2P server of {} started: peer name {}, overlay {}, REST API {}, data {}{}",
                settings.publicKey.toNpub(), peerName, overlayAddress(), rest.url(), dataDirectory,
                settings.writable ? "" : " (read-only: writes are refused)");
    }

    /** Leaves the overlay, stops serving and closes the store; idempotent. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        release();
        LOG.info("NostrP2P server {} stopped", peerName);
    }

    @Override
    public void close() {
        stop();
    }

    private void release() {
        if (rest != null) {
            rest.stop();
            rest = null;
        }
        if (overlay != null) {
            try {
                overlay.stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping the overlay failed: {}", e.toString());
            }
            overlay = null;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (work != null) {
            work.shutdown();
            work = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /** @return the overlay peer name: the last 6 bytes of the user's public key */
    public PeerName peerName() {
        return peerName;
    }

    /** @return the user's public key as 64 hex characters */
    public String publicKeyHex() {
        return ownerHex;
    }

    /** @return where the overlay listens, {@code host:port} (the real port once started) */
    public synchronized String overlayAddress() {
        return overlay != null ? overlay.listenAddress() : settings.host + ":" + settings.port;
    }

    /** @return the REST API's URL, e.g. {@code http://127.0.0.1:20001}; the server must be running */
    public synchronized String restUrl() {
        if (rest == null) {
            throw new IllegalStateException("not running");
        }
        return rest.url();
    }

    /** @return the data directory */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** @return whether the server runs */
    public synchronized boolean isRunning() {
        return running;
    }

    /** @return how many times another server with this identity was noticed since start */
    public synchronized long identityClashes() {
        return identityWatch == null ? 0 : identityWatch.warnings();
    }

    /**
     * The peer names the overlay shows held by two servers at once (see the operator's guide,
     * "Duplicate identity"): this server's own name when the same key runs elsewhere, or a
     * user whose replies, mentions and likes are held until it is resolved.
     *
     * @return the colliding names, empty when none (or not running)
     */
    public synchronized java.util.Set<PeerName> identityCollisions() {
        return identityWatch == null ? java.util.Set.of() : identityWatch.collisions();
    }

    /**
     * What this server refused from other servers since start, for a status page.
     *
     * @param malformed  packets that could not be decoded
     * @param oversized  events beyond the event limits
     * @param mistimed   events dated too far ahead or beyond 2^53
     * @param overBudget events dropped over a neighbour's budget
     * @param forged     events with an invalid id or signature
     * @param queueFull  packets dropped because the work queue was full
     */
    public record Refusals(long malformed, long oversized, long mistimed, long overBudget, long forged, long queueFull) {
    }

    /** @return what was refused from other servers since start (zeros when not running) */
    public synchronized Refusals refusals() {
        if (receiver == null) {
            return new Refusals(0, 0, 0, 0, 0, 0);
        }
        PacketReceiver.Counters c = receiver.counters();
        return new Refusals(c.malformed.get(), c.oversized.get(), c.mistimed.get(), c.overBudget.get(), c.forged.get(),
                c.queueFull.get());
    }

    /** The overlay listener, for tests in this package. */
    synchronized PacketReceiver receiver() {
        return receiver;
    }

    /** Runs retention now (tests). */
    synchronized long enforceRetention() {
        return sqliteStore.enforceRetention();
    }

    private static String version() {
        Package pkg = NostrP2PServer.class.getPackage();
        return pkg != null && pkg.getImplementationVersion() != null ? pkg.getImplementationVersion() : "0.1.0-SNAPSHOT";
    }

    /** The store, for tests in this package. */
    synchronized EventStore store() {
        return store;
    }

    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("The {} task failed: {}", what, e.toString());
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Settings of a {@link NostrP2PServer}; not thread-safe. */
    public static final class Builder {
        private PublicKey publicKey;
        private String host = "127.0.0.1";
        private int port = 20000;
        private final List<String> bootstrapPeers = new ArrayList<>();
        private String restHost;
        private int restPort = -1;
        private Path tlsCertificateChain;
        private Path tlsPrivateKey;
        private Path dataDirectory;
        private boolean writable = true;
        private Clock clock = Clock.systemUTC();
        private Duration resendInterval = Duration.ofMinutes(1);
        private long maxEvents = SqliteEventStore.DEFAULT_MAX_EVENTS;
        private List<Duration> catchUpAttempts = CatchUp.ATTEMPTS;
        private Function<NostrP2PServer, Overlay> overlayFactory;
        private byte[] meshPassword;
        private EventLimits limits = EventLimits.DEFAULT;
        private double unfollowedEventsPerSecond = Admission.UNFOLLOWED_EVENTS_PER_SECOND;
        private int unfollowedBurst = Admission.UNFOLLOWED_BURST;
        private long workQueueBytes = WorkQueue.MAX_BYTES;

        private Builder() {
        }

        /**
         * The overlay's mesh password (mesh {@code Config.Password}), copied; null (the default)
         * for an open network. With one, the overlay's connections are encrypted and only servers
         * (and Go mesh peers) with the same password can join: a private network. NostrP2P's Go
         * servers run without one, so a server with a password cannot talk to them.
         */
        public Builder meshPassword(byte[] password) {
            this.meshPassword = password == null ? null : password.clone();
            return this;
        }

        /** The user's public key (required): the server's identity and peer name. */
        public Builder publicKey(PublicKey publicKey) {
            this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
            return this;
        }

        /** The overlay's listening address; default 127.0.0.1:20000. */
        public Builder listen(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = checkPort(port);
            return this;
        }

        /**
         * Servers to join through, {@code host:port} or {@code [v6]:port} each (added to those
         * given before).
         *
         * @throws IllegalArgumentException naming the first address that is not one (see {@link PeerAddress#parse})
         */
        public Builder bootstrapPeers(Collection<String> addresses) {
            for (String address : addresses) {
                PeerAddress.parse(address); // throws, naming it, when it is not host:port
                bootstrapPeers.add(address);
            }
            return this;
        }

        /** Where the REST API listens; default the overlay's host and port + 1. */
        public Builder restAddress(String host, int port) {
            this.restHost = Objects.requireNonNull(host, "host");
            this.restPort = checkPort(port);
            return this;
        }

        /** Serve the REST API over HTTPS with these PEM files. */
        public Builder tls(Path certificateChain, Path privateKey) {
            this.tlsCertificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
            this.tlsPrivateKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /** Where the database lives; default a directory per public key under the working directory. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /** Whether the client may publish; when false {@code /publish} answers 406. Default true. */
        public Builder writable(boolean writable) {
            this.writable = writable;
            return this;
        }

        /** The clock (for tests and simulations); default the system's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often the resend queue is looked at; default 1 minute. */
        public Builder resendInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the resend interval must be positive");
            }
            this.resendInterval = interval;
            return this;
        }

        /** How many events the store keeps (the user's own are always kept); default 100,000. */
        public Builder maxEvents(long maxEvents) {
            this.maxEvents = maxEvents;
            return this;
        }

        /**
         * The bounds of events accepted from peers and from the client; default
         * {@link EventLimits#DEFAULT} (64 KiB, 2,000 tags, 15 minutes ahead at most).
         */
        public Builder eventLimits(EventLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * How many events by authors the user does not follow one neighbour may bring: a
         * sustained rate a second and a burst; default 50 a second, burst 500. Events by the
         * user and by followed authors are never limited.
         */
        public Builder unfollowedEventBudget(double perSecond, int burst) {
            if (perSecond < 0 || burst < 1) {
                throw new IllegalArgumentException("the budget needs a rate >= 0 and a burst >= 1");
            }
            this.unfollowedEventsPerSecond = perSecond;
            this.unfollowedBurst = burst;
            return this;
        }

        /** The bytes of events waiting to be stored at most (tests lower it); default 32 MiB. */
        Builder workQueueBytes(long bytes) {
            this.workQueueBytes = bytes;
            return this;
        }

        /** When, after start, to ask the overlay for recent events (tests shorten it). */
        Builder catchUpAttempts(List<Duration> attempts) {
            this.catchUpAttempts = List.copyOf(attempts);
            return this;
        }

        /** Another overlay than a mesh Router (tests). */
        Builder overlayFactory(Function<NostrP2PServer, Overlay> factory) {
            this.overlayFactory = factory;
            return this;
        }

        /** @return the server, not started */
        public NostrP2PServer build() {
            if (publicKey == null) {
                throw new IllegalStateException("a server needs its user's public key (generate a key pair with: nostrp2p genkey)");
            }
            return new NostrP2PServer(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            return port;
        }
    }
}
