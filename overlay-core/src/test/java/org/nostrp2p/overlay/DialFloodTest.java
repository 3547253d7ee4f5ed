package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.wire.ConnectionSummary;

/** Flood suite, issue 12: topology that names addresses nobody should dial. */
@Tag("flood")
class DialFloodTest {

    @Test
    void oneTopologyUpdateNamingTwentyClosedAddressesIsDialledOnlyWithinTheBudgetHereAndBehind() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server"));
             JavaPeer behind = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("behind"))) {
            behind.connect(server);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.knowsAndReaches(behind.name()));
            try (HostilePeer attacker = HostilePeer.join(server.router.port(), HostilePeer.inventedName(0x66, 1))) {
                List<ConnectionSummary> links = new ArrayList<>();
                List<String> closed = HostilePeer.closedAddresses(20);
                for (int i = 0; i < closed.size(); i++) {
                    links.add(new ConnectionSummary(HostilePeer.inventedName(0x67, i), closed.get(i), true, true));
                }
                links.add(new ConnectionSummary(server.name(), server.address(), false, true));
                attacker.announce(links);
                await().atMost(Duration.ofSeconds(10)).until(() -> behind.knows(attacker.name));

                Thread.sleep(8_000); // the attack runs: count what it provoked in this window

                for (JavaPeer peer : List.of(server, behind)) {
                    long dials = peer.router.connectionMaker().dialBudget.dialsAllowed.get();
                    // 20 addresses, each dialled at most at t=0 and once more after its 5 s backoff
                    assertTrue(dials <= 2 * 20 + 2, peer.router.nickName() + " dialled " + dials + " times");
                }
            }
        }
    }

    @Test
    void malformedAddressesInTopologyAreSkippedAndADiscoveredGoodPeerIsStillDialled() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server"));
             JavaPeer good = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("good")
                     .peerDiscovery(false))) {
            try (HostilePeer attacker = HostilePeer.join(server.router.port(), HostilePeer.inventedName(0x66, 2))) {
                List<ConnectionSummary> links = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    links.add(new ConnectionSummary(HostilePeer.inventedName(0x68, i), "bad" + i, true, true));
                }
                links.add(new ConnectionSummary(server.name(), server.address(), false, true));
                attacker.announce(links);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> server.router.connectionMaker().discovery.malformedAddresses.get() >= 15);

                // then the attacker names a real peer: the server must still discover and dial it
                links.add(new ConnectionSummary(good.name(), good.address(), true, true));
                attacker.announce(links);
                await().atMost(Duration.ofSeconds(15)).until(() -> good.router.connectionCount() == 1
                        && server.router.status().connections().stream().anyMatch(c -> good.name().equals(c.name())));
            }
        }
    }
}
