package org.nostrp2p.rest;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client REST API of a NostrP2P server, compatible with the Flutter client
 * (ryogrid/flustr-for-nosp2p): {@code POST /publish} and {@code POST /req} over HTTP or HTTPS,
 * served by Undertow, answered by a {@link RestBackend}; {@code GET /status} for the owner
 * (NIP-98), and the web client's static files on {@code GET /}.
 *
 * <pre>{@code
 * RestServer rest = RestServer.builder().backend(backend).listen("127.0.0.1", 20001).build();
 * rest.start();
 * ...
 * rest.stop();
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} binds before it returns; {@link #stop()} waits for the
 * listener to close.
 */
public final class RestServer implements AutoCloseable {

    /** The largest request body accepted; larger ones get 413. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    private final Builder settings;
    private Undertow undertow;
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
     * @throws RuntimeException when the address cannot be bound (Undertow's exception)
     */
    public synchronized void start() {
        if (undertow != null) {
            throw new IllegalStateException("already started");
        }
        HttpHandler handler = new ApiHandler(settings.backend, settings.writable, settings.maxBodyBytes);
        // GET /status for the owner, then the web client's files on any other GET.
        handler = new StaticFiles(new StatusHandler(settings.backend, handler, Clock.systemUTC()));
        Undertow.Builder builder = Undertow.builder()
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) settings.maxBodyBytes * 4)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 120_000)
                .setHandler(handler);
        if (settings.certificateChain != null) {
            SSLContext tls = PemTls.sslContext(settings.certificateChain, settings.privateKey);
            builder.addHttpsListener(settings.port, settings.host, tls);
        } else {
            builder.addHttpListener(settings.port, settings.host);
        }
        Undertow server = builder.build();
        server.start();
        undertow = server;
        boundAddress = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        LOG.info("REST API listening on {}", url());
    }

    /** @return the bound port (the real one when built with port 0) */
    public synchronized int port() {
        requireStarted();
        return boundAddress.getPort();
    }

    /** @return the URL clients use, e.g. {@code http://127.0.0.1:20001} */
    public synchronized String url() {
        requireStarted();
        String host = settings.host.contains(":") ? "[" + settings.host + "]" : settings.host;
        return (settings.certificateChain != null ? "https" : "http") + "://" + host + ":" + boundAddress.getPort();
    }

    /** Stops serving; idempotent. */
    public synchronized void stop() {
        if (undertow != null) {
            undertow.stop();
            undertow = null;
            LOG.info("REST API stopped");
        }
    }

    @Override
    public void close() {
        stop();
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

        private Builder() {
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

        /** @return the server, not started */
        public RestServer build() {
            if (backend == null) {
                throw new IllegalStateException("a RestServer needs a backend");
            }
            return new RestServer(this);
        }
    }
}
