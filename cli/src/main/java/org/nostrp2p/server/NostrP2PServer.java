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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.nostrp2p.model.crypto.PublicKey;
import org.nostrp2p.overlay.PeerName;
import org.nostrp2p.rest.RestServer;
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
    private Overlay overlay;
    private RestServer rest;
    private ThreadPoolExecutor work;
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
            store = new CountingEventStore(SqliteEventStore.builder().path(dataDirectory.resolve(DATABASE_FILE))
                    .ownerPubkeyHex(ownerHex).maxEvents(settings.maxEvents).clock(clock).open());
            work = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
                    runnable -> daemon(runnable, "nostrp2p-work-" + peerName));
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "nostrp2p-timer-" + peerName));
            overlay = settings.overlayFactory != null ? settings.overlayFactory.apply(this)
                    : new RouterOverlay(peerName, "np2p-" + ownerHex.substring(0, 8), settings.host, settings.port, settings.bootstrapPeers);
            PacketSender sender = new PacketSender(overlay);
            RecentIds seen = new RecentIds(50_000);
            RecentIds ownRequests = new RecentIds(1_000);
            identityWatch = new IdentityWatch(clock);
            Resender resender = new Resender(store, sender, clock);
            RequestLimiter heardLimiter = new RequestLimiter(clock);
            receiver = new PacketReceiver(overlay, ownerHex, store, sender, seen, ownRequests, work, clock, identityWatch,
                    peer -> {
                        if (store.resendQueue().size() > 0 && heardLimiter.allow(peer.toString(), Duration.ofSeconds(10), 3)) {
                            resender.peerHeard(peer);
                        }
                    });
            Overlay joined = overlay;
            ClientBackend backend = new ClientBackend(ownerHex, store, sender, seen, clock,
                    () -> StatusReport.of(joined.routerStatus()));
            overlay.start(receiver);
            RestServer.Builder restBuilder = RestServer.builder().backend(backend).listen(restHost, restPort)
                    .writable(settings.writable);
            if (settings.tlsCertificateChain != null) {
                restBuilder.tls(settings.tlsCertificateChain, settings.tlsPrivateKey);
            }
            rest = restBuilder.build();
            rest.start();
            long resendMillis = settings.resendInterval.toMillis();
            scheduler.scheduleWithFixedDelay(() -> guarded("resend", resender::resendDue),
                    resendMillis, resendMillis, TimeUnit.MILLISECONDS);
            new CatchUp(sender, overlay, ownRequests, receiver::eventsReceived, scheduler, clock).schedule(settings.catchUpAttempts);
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
            try {
                if (!work.awaitTermination(5, TimeUnit.SECONDS)) {
                    work.shutdownNow();
                }
            } catch (InterruptedException e) {
                work.shutdownNow();
                Thread.currentThread().interrupt();
            }
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

        private Builder() {
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

        /** Servers to join through, {@code host:port} each (added to those given before). */
        public Builder bootstrapPeers(Collection<String> addresses) {
            for (String address : addresses) {
                int colon = address.lastIndexOf(':');
                if (colon <= 0 || colon == address.length() - 1) {
                    throw new IllegalArgumentException("a peer address is host:port, got '" + address + "'");
                }
                checkPort(Integer.parseInt(address.substring(colon + 1)));
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
