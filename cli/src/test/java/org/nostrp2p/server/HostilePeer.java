package org.nostrp2p.server;

import java.util.List;
import org.nostrp2p.overlay.Gossip;
import org.nostrp2p.overlay.GossipData;
import org.nostrp2p.overlay.Gossiper;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.Router;

/**
 * A mesh peer on loopback that speaks the NostrP2P channel but not its rules: it broadcasts
 * and unicasts whatever packets a test gives it, over real TCP, and records nothing.
 */
final class HostilePeer implements AutoCloseable {

    private final Router router;
    private final Gossip gossip;

    HostilePeer(String name, String joinAddress) {
        router = Router.builder().name(PeerName.parse(name)).nickName("hostile").listen("127.0.0.1", 0).build();
        gossip = router.newGossip(RouterOverlay.CHANNEL, new Gossiper() {

            @Override
            public GossipData onGossipBroadcast(PeerName source, byte[] update) {
                return null;
            }

            @Override
            public void onGossipUnicast(PeerName source, byte[] message) {
            }
        });
        router.start();
        router.connect(List.of(joinAddress));
    }

    /** @return whether a route to {@code peer} exists yet */
    boolean reaches(PeerName peer) {
        return router.unicastNextHop(peer).isPresent();
    }

    void broadcast(byte[] packet) {
        gossip.gossipBroadcast(new PacketData(packet));
    }

    boolean unicast(PeerName destination, byte[] packet) {
        return gossip.gossipUnicast(destination, packet);
    }

    @Override
    public void close() {
        router.stop();
    }
}
