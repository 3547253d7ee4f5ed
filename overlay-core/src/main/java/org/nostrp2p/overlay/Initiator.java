package org.nostrp2p.overlay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.LoggerFactory;

/**
 * The dialling side of a router (mesh {@code ConnectionMaker.connectToTarget} and
 * {@code Router.createConnection}), the counterpart of {@link Acceptor}: opens a TCP
 * connection to an address the connection maker chose, hands the new channel to the router
 * before anything is read, and tells the connection maker when the connection could not be
 * opened. The options are set once, in one {@link Bootstrap} every dial copies. Thread-safe.
 */
final class Initiator {
    /** How long a TCP connect may take before the dial counts as failed. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    // the router's logger, where dial errors were logged before this class was split from it
    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LoggerFactory.getLogger(Acceptor.ROUTER_LOGGER));

    /** What a dialled channel is made into, on its event loop before it is read. */
    interface Attach {
        /**
         * @param channel       the new channel
         * @param address       the address dialled, as the connection maker knows it
         * @param acceptNewPeer whether a peer not yet in the topology is welcome there
         * @param optional      whether the link is one the remote peer may refuse (see {@link Connection#optional})
         */
        void attach(SocketChannel channel, String address, boolean acceptNewPeer, boolean optional);
    }

    /** Where a dial that never became a connection is reported: the address and why. */
    interface Aborted {
        void aborted(String address, String error);
    }

    private final Bootstrap bootstrap;
    private final Attach attach;
    private final Aborted aborted;

    /**
     * @param group   the event loops dialled channels run on
     * @param attach  makes each dialled channel a connection
     * @param aborted hears of each dial that failed or was refused before a channel existed
     */
    Initiator(EventLoopGroup group, Attach attach, Aborted aborted) {
        this.attach = attach;
        this.aborted = aborted;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    }

    /**
     * Dials {@code address} ({@code ip:port}); a malformed address, a refused or timed-out
     * connect are reported to the {@link Aborted} given, once, and logged at most once a
     * minute per address. Any thread; does not block.
     */
    void dial(String address, boolean acceptNewPeer, boolean optional) {
        PeerAddress parsed = PeerAddress.parseOrNull(address);
        if (parsed == null) {
            aborted.aborted(address, "not a host:port address");
            return;
        }
        // a copy of the options made once, with this dial's handler
        bootstrap.clone()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        attach.attach(ch, address, acceptNewPeer, optional);
                    }
                })
                .connect(parsed.host(), parsed.port())
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        String error = f.cause() == null ? "cancelled" : f.cause().getMessage();
                        RATE_LIMITED.info("dial " + address, "->[{}] error during connection attempt: {}", address, error);
                        aborted.aborted(address, error);
                    }
                });
    }
}
