package org.nostrp2p.rest;

import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.nostrp2p.rest.relay.Relay;
import org.nostrp2p.rest.relay.RelayInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client REST API of a NostrP2P server, compatible with the Flutter client
 * (ryogrid/flustr-for-nosp2p): {@code POST /publish} and {@code POST /req} over HTTP or HTTPS,
 * served by Undertow, answered by a {@link RestBackend}; on {@code /} also a NIP-01 WebSocket
 * relay ({@link Relay}) and its NIP-11 document, so any Nostr client can use the server;
 * {@code GET /status} for the owner (NIP-98), and the web client's static files on {@code GET /}.
 *
 * <pre>{@code
 * RestServer rest = RestServer.builder().backend(backend).listen("127.0.0.1", 20001).build();
 * rest.start();
 * ...
 * rest.stop();
 * }</pre>
 *
 * <p>Defended by default ({@link RestLimits}): connections per client address and in total,
 * a file-descriptor reserve, header/body/idle deadlines, requests per second per address
 * ({@code 429}), answers bounded in bytes; bodies never hold a thread while they arrive.
 *
 * <p>Thread-safe. {@link #start()} binds before it returns; {@link #stop()} waits for the
 * listener to close.
 */
public final class RestServer implements AutoCloseable {

    /** The largest request body accepted; larger ones get 413. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    private final Builder settings;
    private RestListener listener;
    private Relay relay;
    private InetSocketAddress boundAddress;

    private RestServer(Builder settings) {
        this.settings = settings;
    }

    /** @return a builder: listen 127.0.0.1:20001, plain HTTP, writable */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalArgumentException when the TLS files cannot be used
     * @throws java.io.UncheckedIOException when the address cannot be bound
     */
    public synchronized void start() {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        HttpHandler handler = new ApiHandler(settings.backend, settings.writable, settings.maxBodyBytes, settings.limits);
        // GET /status for the owner, then the web client's files on any other GET.
        handler = new StaticFiles(new StatusHandler(settings.backend, handler, Clock.systemUTC()));
        // A WebSocket upgrade or a NIP-11 request on / goes to the relay before the files.
        handler = relayEndpoint(handler);
        // Connections, timeouts and fds are guarded by RestListener; requests/s per address here.
        handler = new RequestRateLimiter(handler, settings.limits);
        SSLContext tls = settings.certificateChain == null ? null : PemTls.sslContext(settings.certificateChain, settings.privateKey);
        try {
            listener = RestListener.start(settings.host, settings.port, tls, handler, settings.limits, (long) settings.maxBodyBytes * 4);
        } catch (IOException | RuntimeException e) {
            relay.close();
            relay = null;
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot listen on " + settings.host + ":" + settings.port + ": " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        boundAddress = (InetSocketAddress) listener.address();
        LOG.info("REST API listening on {}", url());
    }

    /** @return the bound port (the real one when built with port 0) */
    public synchronized int port() {
        requireStarted();
        return boundAddress.getPort();
    }

    /** @return how many WebSocket clients the NIP-01 relay endpoint has now */
    public synchronized int relayConnections() {
        return relay == null ? 0 : relay.connectionCount();
    }

    /** @return the URL clients use, e.g. {@code http://127.0.0.1:20001} */
    public synchronized String url() {
        requireStarted();
        String host = settings.host.contains(":") ? "[" + settings.host + "]" : settings.host;
        return (settings.certificateChain != null ? "https" : "http") + "://" + host + ":" + boundAddress.getPort();
    }

    /** Stops serving; idempotent. */
    public synchronized void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
        if (listener != null) {
            listener.close();
            listener = null;
            LOG.info("REST API stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The NIP-01 relay and NIP-11 document on {@code /}, in front of the REST endpoints. */
    private io.undertow.server.HttpHandler relayEndpoint(io.undertow.server.HttpHandler next) {
        relay = new Relay(settings.backend, settings.writable, settings.limits.idleTimeout().dividedBy(3));
        relay.start();
        return new RelayEndpoint(relay, settings.relayInformation, next);
    }

    private void requireStarted() {
        if (boundAddress == null) {
            throw new IllegalStateException("not started");
        }
    }

    /** Settings of a {@link RestServer}; not thread-safe. */
    public static final class Builder {
        private RestBackend backend;
        private String host = "127.0.0.1";
        private int port = 20001;
        private boolean writable = true;
        private Path certificateChain;
        private Path privateKey;
        private int maxBodyBytes = MAX_BODY_BYTES;
        private RestLimits limits = RestLimits.defaults().overriddenBySystemProperties();
        private RelayInformation relayInformation = RelayInformation.anonymous();

        private Builder() {
        }

        /** What the NIP-11 document on {@code /} says (name, owner, version); anonymous unless set. */
        public Builder relayInformation(RelayInformation relayInformation) {
            this.relayInformation = Objects.requireNonNull(relayInformation, "relayInformation");
            return this;
        }

        /** What answers the requests (required). */
        public Builder backend(RestBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** The address to bind; port 0 for any free port. */
        public Builder listen(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            this.port = port;
            return this;
        }

        /** Whether {@code /publish} is served; when false it answers 406. */
        public Builder writable(boolean writable) {
            this.writable = writable;
            return this;
        }

        /** Serve HTTPS with these PEM files (certbot's {@code fullchain.pem} and {@code privkey.pem}). */
        public Builder tls(Path certificateChain, Path privateKey) {
            this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
            this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /** The largest body accepted, {@link #MAX_BODY_BYTES} unless changed. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * How much one client and all clients may take: unless changed, {@link RestLimits#defaults()}
         * with any {@code nostrp2p.rest.*} system property applied ({@link RestLimits#overriddenBySystemProperties()}).
         */
        public Builder limits(RestLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** @return the server, not started */
        public RestServer build() {
            if (backend == null) {
                throw new IllegalStateException("a RestServer needs a backend");
            }
            return new RestServer(this);
        }
    }
}
