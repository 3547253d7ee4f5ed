package org.nostrp2p.overlay;

import java.util.List;
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
    private final BroadcastRepair repair;

    /**
     * @param self     this peer's name
     * @param routing  the router's latest routing state (routes and connections)
     * @param counters where relayed, repaired and dropped broadcasts are counted
     * @param repair   makes broadcasts reach every Java peer once whatever the views
     *     ({@link BroadcastRepair}); null for mesh's tree alone
     */
    GossipChannel(String name, Gossiper gossiper, Executor executor, PeerName self, Supplier<RoutingState> routing,
                  RouterCounters counters, BroadcastRepair repair) {
        this.name = Objects.requireNonNull(name, "name");
        this.gossiper = Objects.requireNonNull(gossiper, "gossiper");
        this.executor = executor;
        this.self = Objects.requireNonNull(self, "self");
        this.routing = Objects.requireNonNull(routing, "routing");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.repair = repair;
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
        from.process(executor, () -> receiveBroadcast(from, frame.source(), frame.data(), null));
    }

    /** Beyond mesh: a broadcast a Java neighbour answered a want with, delivered and relayed as the tree would have. */
    void deliverRepaired(Connection from, PeerName source, byte[] message, BroadcastRepair.Id id) {
        from.process(executor, () -> receiveBroadcast(from, source, message, id));
    }

    // On the executor. repairedId: the id of a message a want was answered with, else null.
    private void receiveBroadcast(Connection from, PeerName source, byte[] message, BroadcastRepair.Id repairedId) {
        BroadcastRepair.Id id = null;
        if (repair != null && BroadcastRepair.repairs(message)) {
            id = repairedId != null ? repairedId : BroadcastRepair.Id.of(name, source, message);
            if (!repair.firstSight(id)) {
                counters.broadcastCopiesDropped.increment();
                return;
            }
            if (repairedId != null) {
                counters.broadcastsRepaired.increment();
            }
        }
        GossipData data;
        try {
            data = gossiper.onGossipBroadcast(source, from.remoteName(), message);
        } catch (RuntimeException e) {
            from.fail(gossiperError(e));
            return;
        }
        if (data != null) {
            relayBroadcast(source, data, from.remoteName(), message, id);
        }
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
                relay(frame.source(), update);
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
        relayBroadcast(self, Objects.requireNonNull(update, "update"), self, null, null);
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
        connection.sendUrgently(ProtocolTag.GOSSIP_UNICAST, payload);
        return true;
    }

    // Along the source's tree; beyond mesh, announced to the other Java neighbours (see
    // BroadcastRepair). sender: the neighbour it came from (this peer for its own); received
    // and receivedId: the message that came, whose id is known, else null.
    private void relayBroadcast(PeerName source, GossipData data, PeerName sender, byte[] received,
                                BroadcastRepair.Id receivedId) {
        RoutingState state = routing.get();
        List<PeerName> hops = state.routes().broadcastAll(source);
        for (PeerName hop : hops) {
            Connection connection = state.connections().get(hop);
            if (connection != null) {
                connection.sender(this).broadcast(source, data);
                if (!source.equals(self)) {
                    counters.broadcastsRelayed.increment();
                }
            }
        }
        if (repair != null) {
            repair.relayed(name, source, data, received, receivedId, state.connections().values(), hops, sender);
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

    private String gossiperError(RuntimeException e) {
        return "the gossiper of channel '" + name + "' rejected a message: " + e;
    }
}
