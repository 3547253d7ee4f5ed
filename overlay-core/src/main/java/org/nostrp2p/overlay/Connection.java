package org.nostrp2p.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.handler.timeout.WriteTimeoutHandler;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.GobDecodingException;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.ProtocolException;
import org.nostrp2p.overlay.wire.ProtocolIntroHandler;
import org.nostrp2p.overlay.wire.ProtocolMessage;
import org.nostrp2p.overlay.wire.ProtocolMessageDecoder;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's side of one TCP connection to another peer (mesh {@code LocalConnection},
 * connection.go): the intro, the feature exchange, heartbeats, the 60 s read deadline, and
 * the frames that follow. It knows nothing of the router: it is set up with
 * {@link ConnectionSettings} and hands what it learns (its registration, gossip, its end) to a
 * {@link ConnectionHost}. Its Netty handler runs on the channel's event loop; {@link #send}
 * and {@link #fail} may be called from any thread.
 *
 * <p>Every way a connection ends is logged once, with the remote address.
 */
final class Connection {

    /** Mesh's {@code tcpHeartbeat}. */
    static final long HEARTBEAT_MILLIS = 30_000;

    /**
     * How long a connection retired as a duplicate is still read after this peer stopped
     * writing on it, unless the remote peer closes it first (which it does as soon as it
     * reads the end of the stream).
     */
    static final long RETIRE_GRACE_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a connection ended, as the connection maker needs to know it. */
    enum Ending { ERROR, CONNECT_TO_SELF, NAME_COLLISION, OPTIONAL_REFUSED, REMOTE_FULL }

    private enum State { INTRO, FEATURES, REGISTERING, ACTIVE, CLOSED }

    /** What this connection was set up with; never changes. */
    final ConnectionSettings settings;
    /** The peer this connection belongs to, as the connection sees it. */
    private final ConnectionHost host;
    final Channel channel;
    final boolean outbound;
    final String remoteTcpAddr;
    final boolean acceptNewPeer;
    final boolean trustRemote;
    private final long connId = RANDOM.nextLong();

    // Written on the event loop before registration, read by the router's actor afterwards.
    private volatile long uid;
    /** What the remote peer said of itself in its features; null before they came. */
    private volatile FeatureExchange.Theirs theirs;
    /** What this end said of its room in its features, and the admission it holds (see {@link HandshakeRoom}). */
    private final HandshakeRoom room;
    /** Router's actor only: this connection is being read from a full seed, without registration. */
    boolean countedAsFullSeed;
    /** Router's actor only: the full seed's topology came on this connection. */
    boolean fullSeedTold;
    /** Set by the dialler before the handshake: this link is optional (feature {@value FeatureExchange#OPTIONAL_FEATURE}). */
    volatile boolean optional;
    private volatile boolean established;
    private volatile int version;
    private volatile String closeReason;
    private volatile Ending ending = Ending.ERROR;
    private volatile boolean retiring;
    /** Beyond mesh: what this neighbour may make this peer read and do (see {@link NeighbourBudget}). */
    final NeighbourBudget budget;
    /** When this connection is read: paused behind its gossipers and for its budget (see {@link ReadPacing}). */
    private final ReadPacing pacing;
    /** Beyond mesh: bytes written and not yet sent are bounded (see {@link OutboundBudget}). */
    final OutboundBudget outboundBudget;
    /** Charges and counts the frames read once registered; its counters are read by {@link #framesReceived()}. */
    private final NeighbourBudgetHandler budgetHandler;
    volatile boolean holdsPeerReference;

    // Counted on the event loop and by writers; read by status().
    final java.util.concurrent.atomic.LongAdder framesSent = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder bytesSent = new java.util.concurrent.atomic.LongAdder();

    // Guarded by this: the gossip senders by channel, and the connection that took over
    // what they had not sent (set once, when this one is replaced by another to the same peer).
    private final Map<String, GossipSender> senders = new HashMap<>();
    private Connection successor;

    // Event loop only.
    private State state = State.INTRO;
    /** Messages read after the features, before registration: handled, uncharged, on activation. */
    private final List<ProtocolMessage> pending = new ArrayList<>();
    private ScheduledFuture<?> heartbeat;

    private Connection(ConnectionSettings settings, ConnectionHost host, Channel channel, boolean outbound,
            String remoteTcpAddr, boolean acceptNewPeer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.host = Objects.requireNonNull(host, "host");
        this.channel = channel;
        this.outbound = outbound;
        this.remoteTcpAddr = remoteTcpAddr;
        this.acceptNewPeer = acceptNewPeer;
        this.trustRemote = settings.trustedSubnets().trusts(remoteTcpAddr);
        this.outboundBudget = new OutboundBudget(settings.outboundBudgetBytes());
        this.room = new HandshakeRoom(outbound, host);
        this.budget = new NeighbourBudget(settings.neighbourFramesPerSecond(), settings.neighbourBytesPerSecond());
        this.pacing = new ReadPacing(channel, budget, host.counters(), new ReadPacing.Link() {
            @Override
            public boolean active() {
                return state == State.ACTIVE;
            }

            @Override
            public void cut(String budgetName) {
                // its name is suspended once (each suspension doubles the next)
                PeerName name = remoteName();
                long suspended = name == null ? 0 : host.suspend(name);
                fail("over its " + budgetName + " budget; disconnected, its name suspended for "
                        + TimeUnit.NANOSECONDS.toSeconds(suspended) + " s");
            }
        });
        this.budgetHandler = new NeighbourBudgetHandler(budget, new NeighbourBudgetHandler.Link() {
            @Override
            public boolean charged() {
                return state == State.ACTIVE;
            }

            @Override
            public boolean backPressure(long pauseNanos, String budgetName) {
                return Connection.this.backPressure(pauseNanos, budgetName);
            }
        }, host.counters());
    }

    /**
     * Sets up the pipeline of a new channel: read and write deadlines, the intro, the
     * neighbour's budget, the protocol message decoder, then this connection's handler, which
     * hands what it learns to {@code host}. When the intro is done it puts the frame codec
     * (and the {@code SecretBoxCodec} of an encrypted connection) in its place, so a frame is
     * split off, decrypted, charged, then decoded into a {@link ProtocolMessage}.
     */
    static Connection attach(ConnectionSettings settings, ConnectionHost host, Channel channel, boolean outbound,
            String remoteTcpAddr, boolean acceptNewPeer) {
        Connection connection = new Connection(settings, host, channel, outbound, remoteTcpAddr, acceptNewPeer);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("readTimeout", new ReadTimeoutHandler(2 * settings.heartbeatMillis(), TimeUnit.MILLISECONDS));
        // Beyond mesh: a peer that stops reading while it still sends would make what is
        // merged for it grow without end; a write that cannot finish in two heartbeats ends it.
        pipeline.addLast("writeTimeout", new WriteTimeoutHandler(2 * settings.heartbeatMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("intro", new ProtocolIntroHandler(settings.password(), outbound));
        pipeline.addLast("neighbourBudget", connection.budgetHandler);
        pipeline.addLast("protocolMessages", new ProtocolMessageDecoder());
        pipeline.addLast("connection", connection.new Handler());
        return connection;
    }

    /** @return the remote peer as its features described it; null before the features came */
    PeerSummary remote() {
        FeatureExchange.Theirs t = theirs;
        return t == null ? null : t.peer();
    }

    PeerName remoteName() {
        PeerSummary r = remote();
        return r == null ? null : r.name();
    }

    /** @return mesh's connection uid: our ConnID xor theirs, the same number at both ends */
    long uid() {
        return uid;
    }

    boolean established() {
        return established;
    }

    void markEstablished() {
        established = true;
    }

    /** It is registered and published, or closed: it no longer counts as admitted. Any thread. */
    void releaseAdmission() {
        room.release();
    }

    int version() {
        return version;
    }

    Ending ending() {
        return ending;
    }

    String closeReason() {
        return closeReason;
    }

    /** @return whether the remote peer is a Java overlay-core peer (it said so in its features) */
    boolean remoteIsJava() {
        FeatureExchange.Theirs t = theirs;
        return t != null && t.java();
    }

    /**
     * @return whether the remote peer dialled this connection as optional (a discovered peer)
     *     while this peer said it was full: neither end keeps it
     */
    boolean refusedAsOptional() {
        FeatureExchange.Theirs t = theirs;
        return t != null && t.optional() && room.saidFull();
    }

    /** Why a connection to a full seed (a remote peer at its limit that passed this one on) ended. */
    static final String FULL_SEED_REASON = "the remote peer is at its connection limit";

    /** @return whether this peer, at its limit, handed the remote on in its features (it then needs no topology message) */
    boolean handedOffInFeatures() {
        return room.handedOff();
    }

    /** @return the peers the remote, at its limit, handed this one on to in its features; empty if none */
    List<String> handedOffTo() {
        FeatureExchange.Theirs t = theirs;
        return t == null ? List.of() : t.handOff();
    }

    /** @return whether this peer told the remote it is at its limit (a Java remote then does not register it) */
    boolean saidAtLimit() {
        return room.saidAtLimit();
    }

    /** @return whether the remote Java peer said it is at its connection limit (it will close this one) */
    boolean remoteAtLimit() {
        FeatureExchange.Theirs t = theirs;
        return t != null && t.atLimit();
    }

    boolean trustedByRemote() {
        FeatureExchange.Theirs t = theirs;
        return t != null && t.trustsUs();
    }

    /** @return frames read from this connection once registered (the features and what came with them are not counted) */
    long framesReceived() {
        return budgetHandler.framesReceived.sum();
    }

    /** @return the bytes of those frames */
    long bytesReceived() {
        return budgetHandler.bytesReceived.sum();
    }

    /**
     * @return this connection as topology gossip describes it. Beyond mesh: an inbound
     *     connection from a peer that told its listening port ({@value FeatureExchange#LISTEN_PORT_FEATURE})
     *     is described by the address it listens on, marked outbound as if this peer had
     *     dialled it, so that every peer (Go ones included, which dial only the addresses of
     *     outbound connections) can discover it. Routes ignore the flag.
     */
    ConnectionSummary summary() {
        String host = PeerAddress.hostOf(remoteTcpAddr);
        FeatureExchange.Theirs t = theirs;
        if (!outbound && t.listenPort() > 0 && host != null) {
            return new ConnectionSummary(t.peer().name(), PeerAddress.join(host, t.listenPort()), true, established);
        }
        return new ConnectionSummary(t.peer().name(), remoteTcpAddr, outbound, established);
    }

    /**
     * @return the sender of {@code gossipChannel}'s messages on this connection, or, once this
     *     connection has been replaced (see {@link #handOverTo}), on the one that replaced it
     */
    GossipSender sender(GossipChannel gossipChannel) {
        Connection next;
        synchronized (this) {
            next = successor;
            if (next == null) {
                return senders.computeIfAbsent(gossipChannel.name(), n -> new GossipSender(this, gossipChannel));
            }
        }
        return next.sender(gossipChannel);
    }

    /**
     * Beyond mesh: hands what this closed or retired connection's gossip senders have not
     * sent (messages routed to it just before it was replaced, or whose write failed) to
     * {@code replacement}, a connection to the same peer, and makes whatever is routed to
     * this connection later go there too. Mesh loses those messages until periodic gossip
     * repairs the state they carried; an application without periodic state would lose them
     * for good. Any thread.
     */
    void handOverTo(Connection replacement) {
        List<GossipSender> handedOver;
        synchronized (this) {
            if (successor != null || replacement == this) {
                return;
            }
            successor = replacement;
            handedOver = List.copyOf(senders.values());
        }
        for (GossipSender sender : handedOver) {
            sender.handOverTo(replacement);
        }
    }

    /** @return whether this peer has stopped writing on this connection (closed, closing or retired) */
    boolean closing() {
        return closeReason != null;
    }

    /**
     * Sends one frame: {@code tag} then {@code payload}. Any thread.
     *
     * @return the write's future
     */
    ChannelFuture send(ProtocolTag tag, byte[] payload) {
        long size = payload.length + 1L;
        if (!outboundBudget.charge(size)) {
            fail("the remote peer does not read: " + outboundBudget.queued() + " bytes wait to be sent, the budget is "
                    + outboundBudget.maxBytes());
            return channel.newFailedFuture(new java.io.IOException("outbound budget exceeded"));
        }
        // one pooled direct buffer: the socket writes it as it is. A heap buffer of the tag and
        // the payload was copied twice on its way out (merged, then into direct memory), and
        // those copies were a twelfth of what a 500-router join allocated.
        ByteBuf body = channel.alloc().directBuffer(payload.length + 1).writeByte(tag.code()).writeBytes(payload);
        framesSent.increment();
        bytesSent.add(payload.length + 1L);
        host.counters().framesSent.increment();
        host.counters().bytesSent.add(payload.length + 1L);
        ChannelFuture future = channel.writeAndFlush(body);
        future.addListener(f -> {
            outboundBudget.release(size);
            if (!f.isSuccess() && channel.isOpen()) {
                fail(f.cause());
            }
        });
        return future;
    }

    /**
     * Sends a frame ahead of the tasks queued on this connection's event loop (see
     * {@link IoLoops#executeUrgent}): application unicasts, which like broadcasts cross the
     * overlay hop by hop. Any thread.
     */
    void sendUrgently(ProtocolTag tag, byte[] payload) {
        if (channel.eventLoop().inEventLoop()) {
            IoLoops.inFlight(channel.eventLoop());
            send(tag, payload);
        } else {
            IoLoops.executeUrgent(channel.eventLoop(), () -> send(tag, payload));
        }
    }

    /** Closes this connection without a line of its own (the caller logs, rate-limited). Any thread. */
    void failQuietly(String reason) {
        synchronized (this) {
            if (closeReason != null) {
                return;
            }
            closeReason = reason;
        }
        channel.close();
    }

    /** Closes this connection because of {@code cause}, logging it once. Any thread. */
    void fail(Throwable cause) {
        fail(describe(cause), Ending.ERROR);
    }

    /** Closes this connection, logging {@code reason} once. Any thread. */
    void fail(String reason) {
        fail(reason, Ending.ERROR);
    }

    void fail(String reason, Ending kind) {
        synchronized (this) {
            if (closeReason != null) {
                return;
            }
            closeReason = reason;
            ending = kind;
        }
        if (kind == Ending.NAME_COLLISION) {
            LOG.warn("{} connection shutting down: {}", logPrefix(), reason);
        } else if (established) {
            LOG.info("{} connection shutting down: {}", logPrefix(), reason);
        } else {
            // beyond mesh: connections that never made it to a link (refused, over a budget,
            // failed handshakes) can be opened by anyone at will: one line a minute per cause
            host.connectionLog().info("unregistered " + causeOf(reason), "{} connection shutting down: {}", logPrefix(), reason);
        }
        channel.close();
    }

    /**
     * Ends a connection that lost mesh's tie-break to another connection to the same peer,
     * logging {@code reason} once. Beyond mesh, which closes it at once: this peer stops
     * writing on it (after what is already queued, then the end of the stream), but goes on
     * reading and handling what the remote peer sent before it learnt that the connection is
     * being dropped, until the remote peer closes it or {@link #RETIRE_GRACE_MILLIS} pass.
     * A broadcast the remote peer wrote on it in that moment would otherwise be lost. Any
     * thread.
     */
    void retire(String reason) {
        synchronized (this) {
            if (closeReason != null) {
                return;
            }
            closeReason = reason;
            retiring = true;
        }
        LOG.info("{} connection shutting down: {}", logPrefix(), reason);
        if (!(channel instanceof DuplexChannel duplex)) {
            channel.close();
            return;
        }
        channel.eventLoop().execute(() -> {
            if (state == State.CLOSED) {
                return;
            }
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            if (state == State.REGISTERING) {
                // never registered here, but the remote peer may have registered it and sent on it
                state = State.ACTIVE;
                try {
                    for (ProtocolMessage message : pending) {
                        handle(message);
                    }
                } catch (RuntimeException e) {
                    channel.close();
                }
                pending.clear();
            }
            pacing.update();
            // a last heartbeat: its write completes after everything queued before it
            ByteBuf last = Unpooled.wrappedBuffer(new byte[] {(byte) ProtocolTag.HEARTBEAT.code()});
            channel.writeAndFlush(last).addListener(f -> {
                if (f.isSuccess()) {
                    duplex.shutdownOutput();
                } else {
                    channel.close();
                }
            });
            channel.eventLoop().schedule(() -> channel.close(), RETIRE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Runs {@code task} (the handling of a message that came on this connection) on
     * {@code executor}; while more than {@link ReadPacing#MAX_UNHANDLED} are waiting, the
     * connection is not read, so a fast sender cannot queue work without bound. Any thread.
     */
    void process(java.util.concurrent.Executor executor, Runnable task) {
        pacing.process(executor, task);
    }

    /**
     * Beyond mesh: this neighbour went over its budget by {@code pauseNanos} of refill (see
     * {@link NeighbourBudget}): stop reading it that long, or, past
     * {@link NeighbourBudget#MAX_PAUSE_NANOS}, disconnect it and suspend its name. Any thread.
     *
     * @return false when the connection is being closed for it
     */
    boolean backPressure(long pauseNanos, String budgetName) {
        return pacing.backPressure(pauseNanos, budgetName, true);
    }

    /** As {@link #backPressure(long, String)}; with {@code mayDisconnect} false, only slows it (pauses capped). */
    boolean backPressure(long requestedNanos, String budgetName, boolean mayDisconnect) {
        return pacing.backPressure(requestedNanos, budgetName, mayDisconnect);
    }

    /** Called by the host (the local peer's actor) once the connection is registered: starts reading frames. */
    void activate() {
        channel.eventLoop().execute(() -> {
            if (state != State.REGISTERING) {
                return;
            }
            state = State.ACTIVE;
            long interval = settings.heartbeatMillis();
            heartbeat = channel.eventLoop().scheduleAtFixedRate(
                    () -> send(ProtocolTag.HEARTBEAT, new byte[0]), interval, interval, TimeUnit.MILLISECONDS);
            try {
                for (ProtocolMessage message : pending) {
                    handle(message);
                }
            } catch (RuntimeException e) {
                fail(e);
            }
            pending.clear();
            pacing.update();
        });
    }

    String logPrefix() {
        PeerSummary r = remote();
        return r == null ? "->[" + remoteTcpAddr + "]" : "->[" + remoteTcpAddr + "|" + r.name() + "(" + r.nickName() + ")]";
    }

    @Override
    public String toString() {
        return logPrefix();
    }

    // This peer's features; an inbound connection told it is welcome opens an admission.
    private Map<String, String> features() {
        FeatureExchange.Ours ours = room.say(connId, trustRemote, optional, settings.targetDegree(), settings.connLimit());
        return FeatureExchange.encode(settings, host.shortId(), host.listenPort(), ours);
    }

    // The remote peer's features: the handshake is over; the connection asks to be
    // registered, or closes when the remote Java peer refuses this optional link.
    private void readFeatures(Map<String, String> features) {
        FeatureExchange.Theirs remoteFeatures = room.agree(FeatureExchange.parse(features));
        uid = connId ^ remoteFeatures.connId();
        theirs = remoteFeatures;
        host.handshakeDone(this);
        if (outbound && optional && remoteFeatures.full()) {
            fail("the remote peer has its target degree; closed this optional link", Ending.OPTIONAL_REFUSED);
            return;
        }
        state = State.REGISTERING;
        channel.config().setAutoRead(false);
        host.register(this);
    }

    private void handle(ProtocolMessage message) {
        if (message instanceof ProtocolMessage.Gossip gossip) {
            host.receiveGossip(this, gossip.tag(), gossip.payload());
        } else if (message instanceof ProtocolMessage.Unknown unknown) {
            LOG.debug("{} ignoring unknown protocol tag {}", logPrefix(), unknown.code());
        }
        // heartbeats, blank frames (mesh ignores them), the reserved tags and overlay control
        // messages carry nothing for us
    }

    // the kind of a close reason, without the numbers and names that vary
    private static String causeOf(String reason) {
        String text = reason == null ? "" : reason;
        return text.substring(0, Math.min(40, text.length())).replaceAll("[0-9a-f:.]{4,}|\\d+", "#");
    }

    private String describe(Throwable cause) {
        Throwable c = cause;
        while ((c instanceof DecoderException || c instanceof EncoderException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ReadTimeoutException) {
            return "nothing received for " + 2 * settings.heartbeatMillis() + " ms (two heartbeats)";
        }
        if (c instanceof WriteTimeoutException) {
            return "the remote peer read nothing for " + 2 * settings.heartbeatMillis() + " ms";
        }
        String message = c.getMessage();
        if (c instanceof ProtocolException || c instanceof GobDecodingException) {
            return message;
        }
        return c.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The Netty side of the connection; event loop only. */
    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof ProtocolIntroHandler.IntroComplete intro) {
                version = intro.version();
                state = State.FEATURES;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(WireCodec.encodeFeatures(features())));
            } else {
                super.userEventTriggered(ctx, event);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ProtocolMessage message = (ProtocolMessage) msg;
            switch (state) {
                case FEATURES -> {
                    // the decoder makes the first message the features; anything else comes
                    // only after features it could not read, on a connection being closed
                    if (message instanceof ProtocolMessage.Features features) {
                        readFeatures(features.features());
                    }
                }
                case REGISTERING -> pending.add(message);
                case ACTIVE -> handle(message);
                default -> {
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            if (retiring) {
                channel.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            state = State.CLOSED;
            releaseAdmission();
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            pending.clear();
            synchronized (Connection.this) {
                if (closeReason == null && outbound && remoteAtLimit()) {
                    // a full seed that passed this peer on (it said so in its features) hung up
                    // first, as it does: still a full seed, whose dialler asks again much later
                    // once it has links, not an error it retries in seconds (each time told
                    // the whole topology again)
                    closeReason = FULL_SEED_REASON;
                    ending = Ending.REMOTE_FULL;
                } else if (closeReason == null) {
                    closeReason = "connection closed by the remote peer";
                    if (established) {
                        LOG.info("{} {}", logPrefix(), closeReason);
                    } else {
                        host.connectionLog().info("closed unregistered", "{} {}", logPrefix(), closeReason);
                    }
                }
            }
            host.closed(Connection.this);
        }
    }
}
