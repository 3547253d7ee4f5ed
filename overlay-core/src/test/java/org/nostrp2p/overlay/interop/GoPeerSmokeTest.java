package org.nostrp2p.overlay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: two Go reference peers (interop/meshpeer) join each other and
 * exchange a broadcast and a unicast, proving what the Java↔Go interop tests rely on.
 */
class GoPeerSmokeTest {

    private static final Duration CONVERGED = Duration.ofSeconds(20);

    @Test
    void twoGoPeersConnectAndExchangeABroadcastAndAUnicast() {
        try (GoPeer a = GoPeer.start("02:00:00:00:0a:01", "go-a", 0, List.of());
             GoPeer b = GoPeer.start("02:00:00:00:0a:02", "go-b", 0, List.of(a.address()))) {
            a.awaitStatus(s -> s.hasRouteTo(b.name()), CONVERGED);
            b.awaitStatus(s -> s.hasRouteTo(a.name()), CONVERGED);

            byte[] post = "hello from a".getBytes(StandardCharsets.UTF_8);
            a.broadcast(GoPeer.TEST_CHANNEL, post);
            b.awaitReceived(r -> !r.isEmpty(), CONVERGED);

            byte[] reply = {0, 1, 2, (byte) 0xff};
            b.unicast(GoPeer.TEST_CHANNEL, a.name(), reply);
            a.awaitReceived(r -> !r.isEmpty(), CONVERGED);

            assertEquals(List.of(new GoPeer.Received("broadcast", GoPeer.TEST_CHANNEL, a.name(), post)), b.received());
            assertEquals(List.of(new GoPeer.Received("unicast", GoPeer.TEST_CHANNEL, b.name(), reply)), a.received());
            GoPeer.Status status = b.status();
            assertEquals(b.uid(), status.uid());
            assertEquals(List.of(a.name()), status.establishedNeighbours());
            assertTrue(status.peer(a.name()).uid() == a.uid(), "b knows a's UID from topology gossip");
        }
    }

    @Test
    void gossipStateReachesANewlyConnectedPeerOnTag4() {
        try (GoPeer a = GoPeer.start("02:00:00:00:0a:05", "go-state", 0, List.of())) {
            byte[] item = {42};
            a.gossip(GoPeer.TEST_CHANNEL, item);
            try (GoPeer b = GoPeer.start("02:00:00:00:0a:06", "go-late", 0, List.of(a.address()))) {
                // mesh sends every channel's Gossip() down a new connection
                b.awaitReceived(r -> !r.isEmpty(), CONVERGED);
                assertEquals(List.of(new GoPeer.Received("gossip", GoPeer.TEST_CHANNEL, "", item)), b.received());
            }
        }
    }

    @Test
    void aUnicastToAnUnknownPeerIsRefusedWithMeshsReason() {
        try (GoPeer a = GoPeer.start("02:00:00:00:0a:03", "go-lonely", 0, List.of())) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> a.unicast(GoPeer.TEST_CHANNEL, "02:00:00:00:0a:04", new byte[] {1}));
            assertTrue(refused.getMessage().contains("02:00:00:00:0a:04"), refused.getMessage());
            assertTrue(a.isAlive());
        }
    }
}
