package org.nostrp2p.server;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nostrp2p.overlay.Gossip;
import org.nostrp2p.overlay.GossipData;
import org.nostrp2p.overlay.Gossiper;
import org.nostrp2p.overlay.MembershipListener;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.Router;
import org.nostrp2p.overlay.RouterStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Overlay} over a mesh {@link Router}: gossip channel {@value #CHANNEL}, connection
 * limit 64 and peer discovery on, as the Go server configures mesh.
 */
final class RouterOverlay implements Overlay {

    /** The gossip channel every NostrP2P server uses. */
    static final String CHANNEL = "nostrp2p";

    private static final Logger LOG = LoggerFactory.getLogger(RouterOverlay.class);

    private final PeerName name;
    private final String nickName;
    private final String host;
    private final int port;
    private final List<String> bootstrapPeers;
    private final byte[] meshPassword;
    private Router router;
    private Gossip gossip;

    RouterOverlay(PeerName name, String nickName, String host, int port, List<String> bootstrapPeers) {
        this(name, nickName, host, port, bootstrapPeers, null);
    }

    /** As the five-argument constructor, with the mesh password (null for none). */
    RouterOverlay(PeerName name, String nickName, String host, int port, List<String> bootstrapPeers, byte[] meshPassword) {
        this.meshPassword = meshPassword == null ? null : meshPassword.clone();
        this.name = Objects.requireNonNull(name, "name");
        this.nickName = nickName;
        this.host = host;
        this.port = port;
        this.bootstrapPeers = List.copyOf(bootstrapPeers);
    }

    @Override
    public synchronized void start(OverlayListener listener) {
        router = Router.builder().name(name).nickName(nickName).listen(host, port)
                .connLimit(64).peerDiscovery(true).password(meshPassword).build();
        gossip = router.newGossip(CHANNEL, new ChannelGossiper(listener));
        router.addMembershipListener(new CollisionWatch(router, listener));
        router.start();
        if (!bootstrapPeers.isEmpty()) {
            router.connect(bootstrapPeers);
        }
    }

    @Override
    public PeerName self() {
        return name;
    }

    @Override
    public void broadcast(byte[] packet) {
        gossip().gossipBroadcast(new PacketData(packet));
    }

    @Override
    public boolean unicast(PeerName destination, byte[] packet) {
        return gossip().gossipUnicast(destination, packet);
    }

    @Override
    public synchronized String listenAddress() {
        return host + ":" + (router != null ? router.port() : port);
    }

    @Override
    public int reachablePeers() {
        Router current;
        synchronized (this) {
            current = router;
        }
        return current == null ? 0 : current.status().unicastRoutes().size();
    }

    @Override
    public RouterStatus routerStatus() {
        Router current;
        synchronized (this) {
            current = router;
        }
        return current == null ? null : current.status();
    }

    @Override
    public synchronized void stop() {
        if (router != null) {
            router.stop();
            router = null;
            gossip = null;
        }
    }

    private synchronized Gossip gossip() {
        if (gossip == null) {
            throw new IllegalStateException("the overlay is not running");
        }
        return gossip;
    }

    /** The channel's gossiper: NostrP2P has no periodic state, only broadcasts and unicasts. */
    private static final class ChannelGossiper implements Gossiper {
        private final OverlayListener listener;

        ChannelGossiper(OverlayListener listener) {
            this.listener = listener;
        }



        @Override
        public GossipData onGossipBroadcast(PeerName source, PeerName neighbour, byte[] update) {
            try {
                // budgets are charged to the neighbour: the source name can be forged by a relay
                byte[] relay = listener.onBroadcast(source, neighbour, update);
                return relay == null ? null : new PacketData(relay);
            } catch (RuntimeException e) {
                // A bug of ours must not close the connection the packet came on.
                LOG.error("Failed to handle a broadcast from {}", source, e);
                return null;
            }
        }

        @Override
        public void onGossipUnicast(PeerName source, PeerName neighbour, byte[] message) {
            try {
                listener.onUnicast(source, neighbour, message);
            } catch (RuntimeException e) {
                LOG.error("Failed to handle a unicast from {}", source, e);
            }
        }
    }

    /**
     * Tells the server when the topology shows one of its users' names (its own or another's)
     * held by two servers, and when the name is again held by one, which the router's status
     * shows once the collision has stopped for a while.
     */
    private static final class CollisionWatch implements MembershipListener {
        private final Router router;
        private final OverlayListener listener;
        private final Set<PeerName> reported = ConcurrentHashMap.newKeySet();

        CollisionWatch(Router router, OverlayListener listener) {
            this.router = router;
            this.listener = listener;
        }

        @Override
        public void nameCollision(PeerName name, long uid, long otherUid) {
            if (reported.add(name)) {
                listener.onNameCollision(name);
            }
        }

        // Membership events come on one thread; any other event is a moment to look again.
        @Override
        public void connectionUp(PeerName peer, String address, boolean outbound) {
            resolveGone();
        }

        @Override
        public void peerJoined(PeerName peer, String nickName) {
            resolveGone();
        }

        @Override
        public void peerLeft(PeerName peer) {
            resolveGone();
        }

        private void resolveGone() {
            if (reported.isEmpty()) {
                return;
            }
            Set<PeerName> colliding = router.status().collidingNames();
            for (PeerName name : Set.copyOf(reported)) {
                if (!colliding.contains(name) && reported.remove(name)) {
                    listener.onNameCollisionResolved(name);
                }
            }
        }
    }
}
