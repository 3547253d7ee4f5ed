package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/** Heartbeats and the read deadline of two heartbeats (mesh: 30 s and 60 s; shortened here). */
class HeartbeatTest {

    @Test
    void anEstablishedConnectionCarriesHeartbeatsAndAPeerSilentForTwoIsDropped() throws IOException {
        try (LogCapture log = new LogCapture();
             JavaPeer peer = JavaPeer.start(Router.builder().name(PeerName.parse("00:00:00:00:03:01")).nickName("beating")
                     .listen("127.0.0.1", 0).heartbeatInterval(Duration.ofMillis(300)));
             RawPeer raw = new RawPeer(peer.router.port())) {
            raw.handshake("00:00:00:00:03:02");
            int heartbeats = 0;
            long start = System.nanoTime();
            while (heartbeats < 4) {
                byte[] frame = raw.readFrame();
                if (frame.length == 1 && frame[0] == 0) {
                    heartbeats++;
                    raw.writeFrame(new byte[] {0}); // our heartbeats keep the connection alive
                }
            }
            assertTrue(System.nanoTime() - start >= 900_000_000L, "four heartbeats take four intervals: still connected");
            // now the raw peer goes silent
            assertTrue(raw.closedByRemote(5_000));
            await().atMost(Duration.ofSeconds(2)).until(() -> !log.linesContaining(raw.remoteTag()).isEmpty());
            assertEquals(1, log.linesContaining(raw.remoteTag() + "|").stream().filter(l -> l.contains("shutting down")).count());
            assertTrue(log.linesContaining(raw.remoteTag()).stream().anyMatch(l -> l.contains("nothing received for 600 ms")));
        }
    }

    @Test
    void aPeerThatSendsButNeverReadsIsDroppedOnceAWriteCannotFinish() throws Exception {
        try (LogCapture log = new LogCapture();
             JavaPeer peer = JavaPeer.start(Router.builder().name(PeerName.parse("00:00:00:00:03:03")).nickName("writer")
                     .listen("127.0.0.1", 0).heartbeatInterval(Duration.ofMillis(300)));
             RawPeer raw = new RawPeer(peer.router.port())) {
            raw.handshake("00:00:00:00:03:04");
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.router.status().connections().size() == 1);
            Thread heartbeats = new Thread(() -> {
                try {
                    while (!raw.socket.isClosed()) {
                        raw.writeFrame(new byte[] {0});
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the router: the end this test waits for
                }
            });
            heartbeats.start();
            byte[] big = new byte[4 * 1024 * 1024];
            for (int i = 0; i < 16; i++) {
                peer.gossip.gossipBroadcast(GossipData.ofMessages(big));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> log.linesContaining(raw.remoteTag()).stream()
                    .anyMatch(l -> l.contains("the remote peer read nothing for 600 ms")));
            heartbeats.join(5_000);
        }
    }
}
