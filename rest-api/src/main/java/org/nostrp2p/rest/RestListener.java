package org.nostrp2p.rest;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import javax.net.ssl.SSLContext;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * One HTTP or HTTPS listener on XNIO, as {@code Undertow.start()} builds it, with every
 * accepted connection passing a {@link ConnectionGate} first and the timeouts and header
 * limits of {@link RestLimits} set. Undertow's builder offers no place for such a gate, so
 * this class owns the worker, the buffer pool and the accepting channel.
 */
final class RestListener implements AutoCloseable {

    /** Worker threads: handlers run here (store queries, signature checks), never body reads. */
    static final int WORKER_THREADS = 16;
    /** The largest request head (request line and headers) read. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** The most headers a request may have. */
    static final int MAX_HEADERS = 64;
    /** Connections waiting in the kernel to be accepted. */
    static final int BACKLOG = 1000;

    private final XnioWorker worker;
    private final AcceptingChannel<? extends StreamConnection> channel;
    private final ConnectionGate gate;

    private RestListener(XnioWorker worker, AcceptingChannel<? extends StreamConnection> channel, ConnectionGate gate) {
        this.worker = worker;
        this.channel = channel;
        this.gate = gate;
    }

    /**
     * Binds and starts accepting.
     *
     * @param tls the TLS context for HTTPS, or null for plain HTTP
     * @throws IOException when the address cannot be bound
     */
    static RestListener start(String host, int port, SSLContext tls, HttpHandler root, RestLimits limits,
                              long maxEntityBytes) throws IOException {
        Xnio xnio = Xnio.getInstance(Undertow.class.getClassLoader());
        int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2);
        XnioWorker worker = xnio.createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, "rest")
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.WORKER_TASK_CORE_THREADS, WORKER_THREADS)
                .set(Options.WORKER_TASK_MAX_THREADS, WORKER_THREADS)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .getMap());
        try {
            int idleMillis = (int) limits.idleTimeout().toMillis();
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, BACKLOG)
                    // No byte in or out for this long closes the connection: a silent new connection,
                    // an idle keep-alive one, a client that stopped reading its answer.
                    .set(Options.READ_TIMEOUT, idleMillis)
                    .set(Options.WRITE_TIMEOUT, idleMillis)
                    .getMap();
            OptionMap undertowOptions = OptionMap.builder()
                    .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, idleMillis)
                    .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.headerTimeout().toMillis())
                    .set(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                    .set(UndertowOptions.MAX_HEADERS, MAX_HEADERS)
                    .set(UndertowOptions.MAX_ENTITY_SIZE, maxEntityBytes)
                    .set(UndertowOptions.MAX_PARAMETERS, 100)
                    .set(UndertowOptions.MAX_COOKIES, 50)
                    .getMap();
            DefaultByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4);
            HttpOpenListener http = new HttpOpenListener(buffers, undertowOptions);
            http.setRootHandler(root);
            ConnectionGate gate = new ConnectionGate(http, limits, FileDescriptors.ofThisProcess(limits.fileDescriptorReserve()));
            ChannelListener<AcceptingChannel<StreamConnection>> accept = ChannelListeners.openListenerAdapter(gate);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            AcceptingChannel<? extends StreamConnection> channel;
            if (tls != null) {
                UndertowXnioSsl ssl = new UndertowXnioSsl(xnio, OptionMap.create(Options.USE_DIRECT_BUFFERS, true), tls);
                @SuppressWarnings({"unchecked", "rawtypes"})
                ChannelListener<AcceptingChannel<org.xnio.ssl.SslConnection>> sslAccept = (ChannelListener) accept;
                channel = ssl.createSslConnectionServer(worker, address, sslAccept, socketOptions);
            } else {
                channel = worker.createStreamConnectionServer(address, accept, socketOptions);
            }
            channel.resumeAccepts();
            return new RestListener(worker, channel, gate);
        } catch (IOException | RuntimeException e) {
            worker.shutdownNow();
            throw e;
        }
    }

    /** @return the bound address */
    SocketAddress address() {
        return channel.getLocalAddress();
    }

    /** @return the gate, for its counts */
    ConnectionGate gate() {
        return gate;
    }

    /** Stops accepting, closes the worker and waits for its threads. */
    @Override
    public void close() {
        IoUtils.safeClose(channel);
        // Keep-alive connections would otherwise take requests while the worker shuts down,
        // and a request dispatched to a stopped worker is answered 500.
        gate.closeAll();
        worker.shutdown();
        try {
            worker.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
