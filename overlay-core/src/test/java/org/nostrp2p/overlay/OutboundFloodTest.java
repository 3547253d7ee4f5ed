package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;

/** Flood suite, issue 12: a peer that never reads while others relay unicasts to it. */
@Tag("flood")
class OutboundFloodTest {

    @Test
    void aPeerThatNeverReadsIsDisconnectedWhenItsOutboundBudgetIsFullLongBeforeTheWriteDeadline() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server"));
             JavaPeer sender = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("sender"));
             HostilePeer reader = HostilePeer.join(server.router.port(), HostilePeer.inventedName(0x70, 1));
             LogCapture log = new LogCapture()) {
            reader.announce(List.of(new ConnectionSummary(server.name(), server.address(), false, true)));
            sender.connect(server);
            await().atMost(Duration.ofSeconds(20)).until(() -> sender.router.unicastNextHop(reader.name).isPresent());

            // the reader reads nothing from now on; the sender's unicasts to it are relayed by the server
            String payload = "x".repeat(64 * 1024);
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (serverHasConnectionTo(server, reader.name) && System.nanoTime() < deadline) {
                sender.unicast(reader.name, payload);
                Thread.sleep(1);
            }

            assertFalse(serverHasConnectionTo(server, reader.name), "still connected to the peer that does not read");
            assertTrue(log.linesContaining("the remote peer does not read").size() >= 1);
            assertTrue(serverHasConnectionTo(server, sender.name()), "the honest sender was disconnected");
        }
    }

    private static boolean serverHasConnectionTo(JavaPeer server, PeerName peer) {
        return server.router.status().connections().stream().anyMatch(c -> peer.equals(c.name()));
    }
}
