package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.ProtocolTag;

/** Flood suite, issue 12: broadcasts and tag-4 gossip on channels nobody registered. */
@Tag("flood")
class SurrogateFloodTest {

    @Test
    void aChannelNobodyRegisteredIsDroppedWhenTheLastPeerUsingItLeaves() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server"));
             JavaPeer neighbour = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("neighbour"))) {
            neighbour.connect(server);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.knowsAndReaches(neighbour.name()));
            try (HostilePeer attacker = HostilePeer.join(server.router.port(), HostilePeer.inventedName(0x71, 1))) {
                attacker.announce(List.of(new ConnectionSummary(server.name(), server.address(), false, true)));
                byte[] junk = new byte[16 * 1024];
                for (int i = 0; i < 500; i++) {
                    junk[0] = (byte) i;
                    junk[1] = (byte) (i >> 8);
                    attacker.gossip(ProtocolTag.GOSSIP_BROADCAST, "nobody-" + (i % 4), junk);
                    attacker.gossip(ProtocolTag.GOSSIP, "nobody-gossip", junk);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.router.gossipChannels().surrogateChannelCount() == 5);
            }
            // the attacker left: what the server relayed for it goes with it (the neighbour
            // relayed the broadcasts too, but never sent on those channels to the server)
            await().atMost(Duration.ofSeconds(10)).until(() -> server.router.gossipChannels().surrogateChannelCount() == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.router.connectionCount() == 1);
        }
    }
}
