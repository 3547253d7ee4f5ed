package org.nostrp2p.overlay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The accepting side of a router (mesh {@code Router.listenTCP}): the listening socket, handing
 * each accepted channel to the router. Accepts are not paced as mesh paces them (100, then 10 a
 * second): {@link SlotGuard} bounds the connections in their handshake instead. Not thread-safe
 * for {@link #bind}/{@link #close}, which the router calls under its own lock.
 */
final class Acceptor {
    /** Beyond mesh: how long accepting pauses after accept() failed (file descriptors exhausted). */
    static final long ACCEPT_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    // the router's logger, as before this class was split from it: operators' settings still apply
    static final String ROUTER_LOGGER = "org.nostrp2p.overlay.Router";
    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LoggerFactory.getLogger(ROUTER_LOGGER));

    private final EventLoopGroup group;
    private final Consumer<SocketChannel> accepted;
    private volatile Channel serverChannel;
    private volatile ChannelFuture registration;

    /**
     * @param group    the event loops the listening socket and accepted channels run on
     * @param accepted called for each accepted channel, on its event loop, before it is read
     */
    Acceptor(EventLoopGroup group, Consumer<SocketChannel> accepted) {
        this.group = group;
        this.accepted = accepted;
    }

    /**
     * Binds {@code host:port} on the calling thread, then registers the socket with an event
     * loop without waiting for it: a router sharing busy event loops ({@link SharedIo}: hundreds
     * joining at once) starts in microseconds, where a bind run on the loop waited behind
     * everything queued there (15 ms a router in a 40-peer benchmark, 7.7 s for 500). Nothing is
     * accepted before {@link #startAccepting()}.
     *
     * @return the bound address (the real port when 0 was asked for)
     * @throws IllegalStateException when the address cannot be bound
     */
    InetSocketAddress bind(String host, int port) {
        InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        ServerSocketChannel socket = null;
        try {
            socket = ServerSocketChannel.open();
            socket.bind(address, BACKLOG);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        NioServerSocketChannel channel = new NioServerSocketChannel(socket);
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channelFactory(() -> channel)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(ACCEPTS_PER_READ))
                .handler(new AcceptPause())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.accept(ch);
                    }
                });
        registration = server.register();
        serverChannel = channel;
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * How many connections are accepted each time the listening socket is read (Netty: 16).
     * A loop shared with busy routers reads its sockets about once a second: in a 500-peer
     * star at 16 the seed held 200–470 connections in its accept queue for half a minute, and
     * their diallers timed out on the header. {@link SlotGuard} bounds what is then in its
     * handshake.
     */
    static final int ACCEPTS_PER_READ = 64;

    /** The listening socket's queue of connections not yet accepted. */
    static final int BACKLOG = 1024;

    private static void closeQuietly(ServerSocketChannel socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing bound: nothing to release
            }
        }
    }

    /**
     * Starts accepting on the bound socket (the router knows its address by then) once it is
     * registered and Netty's handler that sets accepted channels up follows {@link AcceptPause}
     * in its pipeline. Netty adds that handler in a task it queues as the registration
     * completes: a connection accepted before that task ran went past the end of the pipeline,
     * open and never read (its dialler timed out on the protocol header ten seconds later).
     * On a loop busy with other routers' work, sockets were read before the task ran.
     *
     * <p>From then on the socket is read whenever it is ready (auto-read), up to
     * {@link #ACCEPTS_PER_READ} connections at a time. A listening socket read with
     * {@code read()} and auto-read off accepts one connection per read, and a loop shared with
     * busy routers reads its sockets about once a second: in a 500-peer star, peers held 30–150
     * connections in their accept queues, drained at one a second, and diallers timed out on
     * the header after 10 s.
     */
    void startAccepting() {
        registration.addListener(f -> {
            if (f.isSuccess()) {
                readOnceAcceptedChannelsAreSetUp(serverChannel);
            } else {
                RATE_LIMITED.warn("register", "cannot accept connections: {}", String.valueOf(f.cause()));
            }
        });
    }

    // On the listening channel's event loop.
    private static void readOnceAcceptedChannelsAreSetUp(Channel server) {
        if (!server.isOpen()) {
            return;
        }
        if (server.pipeline().last() instanceof AcceptPause) {
            server.eventLoop().execute(() -> readOnceAcceptedChannelsAreSetUp(server));
        } else {
            server.config().setAutoRead(true);
        }
    }

    /** Closes the listening socket (not the accepted channels); waits up to 2 s. */
    void close() {
        Channel server = serverChannel;
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    // Beyond mesh: accept() failing (out of file descriptors) logs one line a minute and pauses
    // accepting for a second, instead of a stack trace per attempt in a busy loop. Listening
    // channel's event loop.
    private static final class AcceptPause extends ChannelInboundHandlerAdapter {

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            RATE_LIMITED.warn("accept", "cannot accept connections, pausing 1 s: {}", cause.toString());
            Channel server = ctx.channel();
            server.config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (server.isOpen()) {
                    server.config().setAutoRead(true);
                }
            }, ACCEPT_PAUSE_NANOS, TimeUnit.NANOSECONDS);
        }
    }
}
