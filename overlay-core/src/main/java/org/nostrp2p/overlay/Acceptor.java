package org.nostrp2p.overlay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The accepting side of a router (mesh {@code Router.listenTCP} with its {@code acceptLimiter}):
 * the listening socket, read only when the token bucket has a token, and handing each accepted
 * channel to the router. Not thread-safe for {@link #bind}/{@link #close}, which the router calls
 * under its own lock; {@link #refundToken()} from any thread.
 */
final class Acceptor {
    /** Mesh's {@code acceptMaxTokens}. */
    static final int ACCEPT_MAX_TOKENS = 100;
    /** Mesh's {@code acceptTokenDelay}. */
    static final long ACCEPT_TOKEN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Beyond mesh: how long accepting pauses after accept() failed (file descriptors exhausted). */
    static final long ACCEPT_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    // the router's logger, as before this class was split from it: operators' settings still apply
    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LoggerFactory.getLogger(Router.class));

    private final EventLoopGroup group;
    private final Consumer<SocketChannel> accepted;
    private final TokenBucket acceptLimiter = new TokenBucket(ACCEPT_MAX_TOKENS, ACCEPT_TOKEN_DELAY_NANOS);
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
                .handler(new AcceptLimiter())
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
     * registered and Netty's handler that sets accepted channels up follows {@link AcceptLimiter}
     * in its pipeline. Netty adds that handler in a task it queues as the registration
     * completes: a connection accepted before that task ran went past the end of the pipeline,
     * open and never read (its dialler timed out on the protocol header ten seconds later).
     * On a loop busy with other routers' work, sockets were read before the task ran.
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
        if (server.pipeline().last() instanceof AcceptLimiter) {
            server.eventLoop().execute(() -> readOnceAcceptedChannelsAreSetUp(server));
        } else {
            server.read();
        }
    }

    /** Closes the listening socket (not the accepted channels); waits up to 2 s. */
    void close() {
        Channel server = serverChannel;
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /**
     * Beyond mesh: an inbound connection turned out to be from a Java peer (it completed the
     * handshake and said so in its features): give back the accept token it took, so Java
     * peers joining together are limited by how fast handshakes complete, not by mesh's 10 per
     * second. Whatever does not complete a handshake, and Go peers, still spend tokens. Any thread.
     */
    void refundToken() {
        Channel server = serverChannel;
        if (server != null && server.isOpen()) {
            server.eventLoop().execute(() -> {
                AcceptLimiter limiter = server.pipeline().get(AcceptLimiter.class);
                if (limiter != null) {
                    limiter.refund(server);
                }
            });
        }
    }

    /** Accepts connections no faster than the token bucket allows (mesh's {@code acceptLimiter}); listening channel's event loop. */
    private final class AcceptLimiter extends ChannelInboundHandlerAdapter {
        private long waitNanos;
        private java.util.concurrent.ScheduledFuture<?> delayedRead;
        private long acceptPausedUntil;
        private boolean acceptPaused;

        // Beyond mesh: accept() failing (out of file descriptors) logs one line a minute and
        // pauses accepting for a second, instead of a stack trace per attempt in a busy loop.
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            RATE_LIMITED.warn("accept", "cannot accept connections, pausing 1 s: {}", cause.toString());
            acceptPaused = true;
            acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
        }

        // listening channel's event loop
        void refund(Channel server) {
            acceptLimiter.refund();
            if (delayedRead != null && !delayedRead.isDone() && acceptLimiter.available()) {
                delayedRead.cancel(false);
                delayedRead = null;
                server.read();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            acceptLimiter.take();
            // Beyond mesh: accepts are not paced (silent connections would queue honest peers
            // out behind them in the backlog); SlotGuard bounds connections in their handshake.
            waitNanos = 0;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.fireChannelReadComplete();
            long wait = waitNanos;
            waitNanos = 0;
            if (acceptPaused) {
                wait = Math.max(wait, acceptPausedUntil - System.nanoTime());
                acceptPaused = false;
            }
            if (wait <= 0) {
                ctx.channel().read();
            } else {
                delayedRead = ctx.executor().schedule(() -> ctx.channel().read(), wait, TimeUnit.NANOSECONDS);
            }
        }
    }
}
