package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;

/** Flood suite, issue 12: a neighbour over its frames-per-second budget. */
@Tag("flood")
class FrameFloodTest {

    @Test
    void aNeighbourThatKeepsSendingOverItsFrameBudgetIsSlowedThenDisconnectedAndSuspended() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server"));
             JavaPeer honest = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("honest"))) {
            honest.connect(server);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.knowsAndReaches(honest.name()));
            PeerName attackerName = HostilePeer.inventedName(0x76, 1);
            try (HostilePeer attacker = HostilePeer.join(server.router.port(), attackerName)) {
                attacker.announce(List.of(new ConnectionSummary(server.name(), server.address(), false, true)));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(attacker.raw.socket.getOutputStream(), 1 << 16));
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                try {
                    while (System.nanoTime() < end) { // empty heartbeats, as fast as TCP takes them
                        out.writeInt(1);
                        out.writeByte(0);
                    }
                } catch (IOException e) {
                    // the server closed the connection
                }
                assertTrue(System.nanoTime() < end, "the flooding neighbour was never disconnected");
            }
            assertTrue(server.router.counters.backPressurePauses.sum() > 0, "never slowed down before");
            // its name is refused for a while, an honest peer is not
            try (HostilePeer again = HostilePeer.join(server.router.port(), attackerName)) {
                assertTrue(again.raw.closedByRemote(10_000));
            }
            assertTrue(server.knowsAndReaches(honest.name()));
        }
    }

    @Test
    void aNeighbourWithinARaisedBudgetIsNeitherSlowedNorDisconnected() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server")
                .neighbourBudget(1e7, 1e10))) {
            PeerName fastName = HostilePeer.inventedName(0x77, 1);
            try (HostilePeer fast = HostilePeer.join(server.router.port(), fastName)) {
                fast.announce(List.of(new ConnectionSummary(server.name(), server.address(), false, true)));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fast.raw.socket.getOutputStream(), 1 << 16));
                long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (System.nanoTime() < end) { // well past the default budget's 5 s at 2,000 frames/s
                    out.writeInt(1);
                    out.writeByte(0);
                }
                out.flush();
                assertTrue(server.router.status().connections().stream().anyMatch(c -> c.name().equals(fastName)),
                        "a neighbour within the raised budget was disconnected");
            }
        }
    }

    @Test
    void aBudgetMustBePositive() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Router.builder().neighbourBudget(0, 1));
    }
}
