package org.nostrp2p.overlay;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.UnicastFrame;
import org.nostrp2p.overlay.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named gossip channel (mesh {@code gossipChannel}, gossip_channel.go): delivers what
 * arrives on it to its {@link Gossiper}, one call at a time on the channel's executor, and
 * relays: unicasts hop by hop towards their destination, broadcasts along the source's
 * broadcast tree, gossip to random neighbours. Thread-safe.
 */
final class GossipChannel implements Gossip {

    private static final Logger LOG = LoggerFactory.getLogger(GossipChannel.class);

    private final String name;
    private final Gossiper gossiper;
    private final Executor executor;
    private final PeerName self;
    private final Supplier<RoutingState> routing;
    private final RouterCounters counters;
    private final boolean relayNewsToAll;

    /**
     * @param self     this peer's name
     * @param routing  the router's latest routing state (routes and connections)
     * @param counters where relayed broadcasts are counted
     */
    GossipChannel(String name, Gossiper gossiper, Executor executor, PeerName self, Supplier<RoutingState> routing,
                  RouterCounters counters) {
        this(name, gossiper, executor, self, routing, counters, false);
    }

    /**
     * @param relayNewsToAll pass on what a neighbour's gossip taught us to every other
     *     neighbour rather than to mesh's random few (used for topology)
     */
    GossipChannel(String name, Gossiper gossiper, Executor executor, PeerName self, Supplier<RoutingState> routing,
                  RouterCounters counters, boolean relayNewsToAll) {
        this.name = Objects.requireNonNull(name, "name");
        this.gossiper = Objects.requireNonNull(gossiper, "gossiper");
        this.executor = executor;
        this.self = Objects.requireNonNull(self, "self");
        this.routing = Objects.requireNonNull(routing, "routing");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.relayNewsToAll = relayNewsToAll;
    }

    @Override
    public String name() {
        return name;
    }

    Gossiper gossiper() {
        return gossiper;
    }

    Executor executor() {
        return executor;
    }

    void deliverUnicast(Connection from, UnicastFrame frame, byte[] originalPayload) {
        if (frame.destination().equals(self)) {
            from.process(executor, () -> {
                try {
                    gossiper.onGossipUnicast(frame.source(), from.remoteName(), frame.data());
                } catch (RuntimeException e) {
                    from.fail(gossiperError(e));
                }
            });
            return;
        }
        if (!relayUnicast(frame.destination(), originalPayload)) {
            LOG.debug("[gossip {}]: unknown relay destination {}", name, frame.destination());
        }
    }

    void deliverBroadcast(Connection from, GossipFrame frame) {
        from.process(executor, () -> {
            GossipData data;
            try {
                data = gossiper.onGossipBroadcast(frame.source(), from.remoteName(), frame.data());
            } catch (RuntimeException e) {
                from.fail(gossiperError(e));
                return;
            }
            if (data != null) {
                relayBroadcast(frame.source(), data);
            }
        });
    }

    void deliver(Connection from, GossipFrame frame) {
        from.process(executor, () -> {
            GossipData update;
            try {
                update = gossiper.onGossip(frame.data());
            } catch (RuntimeException e) {
                from.fail(gossiperError(e));
                return;
            }
            if (update != null) {
                if (relayNewsToAll) {
                    relayToAllBut(frame.source(), update);
                } else {
                    relay(frame.source(), update);
                }
            }
        });
    }

    @Override
    public boolean gossipUnicast(PeerName destination, byte[] message) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(message, "message");
        byte[] payload = WireCodec.encodeUnicast(new UnicastFrame(name, self, destination, message));
        if (payload.length + 1 > org.nostrp2p.overlay.wire.SecretBoxCodec.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a unicast of " + message.length + " bytes exceeds the 10 MiB frame limit");
        }
        return relayUnicast(destination, payload);
    }

    @Override
    public void gossipBroadcast(GossipData update) {
        relayBroadcast(self, Objects.requireNonNull(update, "update"));
    }

    @Override
    public void gossipNeighbourSubset(GossipData update) {
        relay(self, Objects.requireNonNull(update, "update"));
    }

    /** Mesh's {@code SendDown}: queues {@code data} as gossip on one connection. */
    void sendDown(Connection connection, GossipData data) {
        connection.sender(this).send(data);
    }

    /** Periodic gossip: the gossiper's complete state to random neighbours. Runs on the executor. */
    void gossipPeriodically() {
        executor.execute(() -> {
            GossipData data = gossiper.gossip();
            if (data != null) {
                relay(self, data);
            }
        });
    }

    private boolean relayUnicast(PeerName destination, byte[] payload) {
        RoutingState state = routing.get();
        Optional<PeerName> hop = state.routes().unicastAll(destination);
        if (hop.isEmpty()) {
            return false;
        }
        Connection connection = state.connections().get(hop.get());
        if (connection == null) {
            return false;
        }
        connection.send(ProtocolTag.GOSSIP_UNICAST, payload);
        return true;
    }

    private void relayBroadcast(PeerName source, GossipData data) {
        RoutingState state = routing.get();
        for (PeerName hop : state.routes().broadcastAll(source)) {
            Connection connection = state.connections().get(hop);
            if (connection != null) {
                connection.sender(this).broadcast(source, data);
                if (!source.equals(self)) {
                    counters.broadcastsRelayed.increment();
                }
            }
        }
    }

    private void relay(PeerName source, GossipData data) {
        RoutingState state = routing.get();
        for (PeerName hop : state.routes().randomNeighbours(source)) {
            Connection connection = state.connections().get(hop);
            if (connection != null) {
                connection.sender(this).send(data);
            }
        }
    }

    private void relayToAllBut(PeerName sender, GossipData data) {
        for (Connection connection : routing.get().connections().values()) {
            if (!sender.equals(connection.remoteName())) {
                connection.sender(this).send(data);
            }
        }
    }

    private String gossiperError(RuntimeException e) {
        return "the gossiper of channel '" + name + "' rejected a message: " + e;
    }
}
