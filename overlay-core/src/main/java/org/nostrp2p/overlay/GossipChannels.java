package org.nostrp2p.overlay;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.UnicastFrame;
import org.nostrp2p.overlay.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A router's gossip channels by name (mesh {@code Router.gossipChannels} with
 * {@code handleGossip} and {@code sendAllGossipDown}): the application's, registered with
 * {@link Router#newGossip}, and surrogates relaying channels nobody here registered (bounded
 * in number, dropped when the last connection that used one closes). Gossip frames arrive here
 * from connections; topology frames go on to the topology receiver. Thread-safe.
 */
final class GossipChannels {
    /**
     * How many channels nobody registered this peer relays for, at most (mesh: unbounded); each
     * remembers at most {@link SurrogateGossiper#MAX_REMEMBERED_BYTES}, and is dropped when the
     * last connection that sent on it closes.
     */
    static final int MAX_SURROGATE_CHANNELS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(GossipChannels.class);
    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LOG);

    private final PeerName self;
    private final Supplier<RoutingState> routing;
    private final RouterCounters counters;
    private final Executor gossipPool;
    private final ScheduledExecutorService actor;
    private final Duration gossipInterval;
    private final TopologyReceiver topology;
    private final BiConsumer<Connection, byte[]> digest;
    private final BroadcastRepair repair;
    private final Map<String, GossipChannel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger surrogateChannels = new AtomicInteger();
    private final SurrogateUsers surrogateUsers = new SurrogateUsers();

    /**
     * @param self           this peer's name
     * @param routing        the router's latest routing state
     * @param counters       the router's counters
     * @param gossipPool     runs the application's gossipers (each channel one call at a time)
     * @param actor          schedules each channel's periodic gossip
     * @param gossipInterval how often a channel's complete state goes out
     * @param topology       receives the {@code topology} channel's gossip where it lies in its frame, on the connection's event loop
     * @param digest         receives the Java-only {@link TopologyDigest#CHANNEL}'s tag-4 gossip, likewise
     * @param broadcastRepair whether broadcasts are announced to, and asked for from, Java
     *     neighbours ({@link BroadcastRepair}), or go by mesh's tree alone
     */
    GossipChannels(PeerName self, Supplier<RoutingState> routing, RouterCounters counters, Executor gossipPool,
                   ScheduledExecutorService actor, Duration gossipInterval, TopologyReceiver topology,
                   BiConsumer<Connection, byte[]> digest, boolean broadcastRepair) {
        this.self = self;
        this.routing = routing;
        this.counters = counters;
        this.gossipPool = gossipPool;
        this.actor = actor;
        this.gossipInterval = gossipInterval;
        this.topology = topology;
        this.digest = digest;
        this.repair = broadcastRepair ? new BroadcastRepair(self, actor, this::deliverRepaired) : null;
    }

    /**
     * Registers the application's channel, taking over a surrogate of that name.
     *
     * @throws IllegalArgumentException when the channel is already registered (or is {@code topology})
     */
    Gossip register(String channel, Gossiper gossiper) {
        Objects.requireNonNull(channel, "channel");
        if (channel.equals(TopologyNews.CHANNEL) || channel.equals(TopologyDigest.CHANNEL)
                || channel.equals(BroadcastRepair.CHANNEL)) {
            throw new IllegalArgumentException("[gossip] channel " + channel + " is the router's own");
        }
        GossipChannel created = newChannel(channel, gossiper, new SerialExecutor(gossipPool));
        GossipChannel existing = channels.putIfAbsent(channel, created);
        if (existing != null) {
            if (existing.gossiper() instanceof SurrogateGossiper) {
                // a peer sent on it before the application registered it: take it over
                if (channels.replace(channel, existing, created)) {
                    surrogateChannels.decrementAndGet();
                    surrogateUsers.forget(channel);
                    schedulePeriodicGossip(created);
                    return created;
                }
            }
            throw new IllegalArgumentException("[gossip] duplicate channel " + channel);
        }
        schedulePeriodicGossip(created);
        return created;
    }

    /** Takes topology gossip: the data lies in {@code buffer} from {@code offset}, {@code length} bytes, and is not changed after. */
    @FunctionalInterface
    interface TopologyReceiver {
        void receive(Connection from, byte[] buffer, int offset, int length);
    }

    /** Routes a gossip frame that came on {@code from} to its channel (mesh {@code handleGossip}); event loop. */
    void handleGossip(Connection from, ProtocolTag tag, byte[] payload) {
        if (tag == ProtocolTag.GOSSIP_UNICAST) {
            UnicastFrame frame = WireCodec.decodeUnicast(payload);
            if (frame.channel().equals(TopologyNews.CHANNEL)) {
                from.fail("unexpected topology gossip unicast from " + frame.source());
                return;
            }
            GossipChannel channel = channelFor(frame.channel(), from);
            if (channel != null) {
                channel.deliverUnicast(from, frame, payload);
            }
            return;
        }
        WireCodec.GossipHead head = WireCodec.decodeGossipHead(payload);
        if (head.channel().equals(TopologyNews.CHANNEL)) {
            // decoded where it lies: the frame's payload is this message's alone
            topology.receive(from, payload, head.dataOffset(), head.dataLength());
            return;
        }
        GossipFrame frame = new GossipFrame(head.channel(), head.source(), head.data(payload));
        if (frame.channel().equals(TopologyDigest.CHANNEL) && tag == ProtocolTag.GOSSIP) {
            digest.accept(from, frame.data());
            return;
        }
        if (frame.channel().equals(BroadcastRepair.CHANNEL)) {
            if (repair != null && tag == ProtocolTag.GOSSIP) {
                repair.receive(from, frame.data());
            }
            return; // never relayed: it is between neighbours
        }
        GossipChannel channel = channelFor(frame.channel(), from);
        if (channel == null) {
            return;
        }
        if (tag == ProtocolTag.GOSSIP_BROADCAST) {
            channel.deliverBroadcast(from, frame);
        } else {
            channel.deliver(from, frame);
        }
    }

    /** Offers every channel's complete state down a new connection (mesh {@code sendAllGossipDown}). */
    void sendAllGossipDown(Connection connection) {
        for (GossipChannel channel : channels.values()) {
            channel.executor().execute(() -> {
                GossipData data = channel.gossiper().gossip();
                if (data != null) {
                    channel.sendDown(connection, data);
                }
            });
        }
    }

    /**
     * Beyond mesh: {@code connection} closed; the surrogate channels only it used are dropped
     * with what they remembered. Any thread.
     */
    void connectionGone(Connection connection) {
        for (String name : surrogateUsers.released(connection)) {
            GossipChannel channel = channels.get(name);
            if (channel != null && channel.gossiper() instanceof SurrogateGossiper && channels.remove(name, channel)) {
                surrogateChannels.decrementAndGet();
                LOG.debug("[gossip {}]: dropped surrogate channel, its last peer left", name);
            }
        }
    }

    /** @return how many channels this peer relays without a gossiper of its own */
    int surrogateChannelCount() {
        return surrogateChannels.get();
    }

    private GossipChannel newChannel(String channel, Gossiper gossiper, Executor executor) {
        return new GossipChannel(channel, gossiper, executor, self, routing, counters, repair);
    }

    // A broadcast a Java neighbour answered a want with: to its channel, as if the tree had brought it.
    private void deliverRepaired(Connection from, String channelName, PeerName source, byte[] message,
                                 BroadcastRepair.Id id) {
        GossipChannel channel = channelFor(channelName, from);
        if (channel != null) {
            channel.deliverRepaired(from, source, message, id);
        }
    }

    private GossipChannel channelFor(String channelName, Connection from) {
        GossipChannel channel = channels.get(channelName);
        if (channel != null) {
            if (channel.gossiper() instanceof SurrogateGossiper) {
                surrogateUsers.used(channelName, from);
            }
            return channel;
        }
        if (surrogateChannels.get() >= MAX_SURROGATE_CHANNELS) {
            RATE_LIMITED.info("surrogate-limit", "[gossip {}]: dropped, already relaying {} unknown channels",
                    channelName.length() > 64 ? channelName.substring(0, 64) : channelName, MAX_SURROGATE_CHANNELS);
            return null;
        }
        channel = channels.computeIfAbsent(channelName, n -> {
            surrogateChannels.incrementAndGet();
            LOG.debug("[gossip {}]: created surrogate channel", n);
            return newChannel(n, new SurrogateGossiper(), Runnable::run);
        });
        if (channel.gossiper() instanceof SurrogateGossiper) {
            surrogateUsers.used(channelName, from);
        }
        return channel;
    }

    private void schedulePeriodicGossip(GossipChannel channel) {
        long millis = gossipInterval.toMillis();
        try {
            actor.scheduleAtFixedRate(() -> {
                if (channels.get(channel.name()) == channel) {
                    channel.gossipPeriodically();
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped
        }
    }
}
