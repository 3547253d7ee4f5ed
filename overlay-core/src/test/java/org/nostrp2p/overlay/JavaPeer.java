package org.nostrp2p.overlay;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.nostrp2p.overlay.name.PeerName;

/** A Java router on loopback, any free port, with a recording gossiper on channel "test". */
final class JavaPeer implements AutoCloseable {
    static final String CHANNEL = "test";

    final Router router;
    final RecordingGossiper gossiper = new RecordingGossiper();
    final Gossip gossip;

    private JavaPeer(Router router) {
        this.router = router;
        this.gossip = router.newGossip(CHANNEL, gossiper);
    }

    static JavaPeer start(String name, String nickName, boolean discovery) {
        return start(PeerName.parse(name), nickName, discovery, 0);
    }

    static JavaPeer start(PeerName name, String nickName, boolean discovery, int port) {
        return start(Router.builder().name(name).nickName(nickName).listen("127.0.0.1", port).peerDiscovery(discovery));
    }

    static JavaPeer start(Router.Builder builder) {
        JavaPeer peer = new JavaPeer(builder.build());
        peer.router.start();
        return peer;
    }

    String address() {
        return "127.0.0.1:" + router.port();
    }

    void connect(JavaPeer other) {
        router.connect(List.of(other.address()));
    }

    PeerName name() {
        return router.name();
    }

    void broadcast(String text) {
        gossip.gossipBroadcast(GossipData.ofMessages(text.getBytes(StandardCharsets.UTF_8)));
    }

    boolean unicast(PeerName destination, String text) {
        return gossip.gossipUnicast(destination, text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return whether this peer knows {@code other} (with its real UID) and has a confirmed route to it */
    boolean knowsAndReaches(PeerName other) {
        RouterStatus status = router.status();
        return status.peer(other).map(p -> p.uid() != 0).orElse(false) && status.unicastRoutes().containsKey(other);
    }

    boolean knows(PeerName other) {
        return router.status().peer(other).isPresent();
    }

    /** @return whether every peer of {@code group} knows and reaches every other */
    static boolean converged(java.util.Collection<JavaPeer> group) {
        for (JavaPeer a : group) {
            for (JavaPeer b : group) {
                if (a != b && !a.knowsAndReaches(b.name())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @return whether every peer of {@code group} holds every other's latest entry. Routes can
     *     exist before that, but a relay whose view of the source's links is older than the
     *     source's sends a broadcast again to a peer the source reached itself (mesh's tree
     *     broadcast delivers exactly once only where the views agree).
     */
    static boolean viewsAgree(java.util.Collection<JavaPeer> group) {
        for (JavaPeer a : group) {
            RouterStatus status = a.router.status();
            for (JavaPeer b : group) {
                long latest = b.router.status().version();
                if (a != b && status.peer(b.name()).map(p -> p.version() != latest).orElse(true)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        router.stop();
    }
}
