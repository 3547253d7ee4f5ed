package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.WireCodec;

/** A sender faster than the application's gossiper is made to wait by TCP instead of filling memory. */
class BackpressureTest {

    /** A gossiper that holds every call until released. */
    private static final class SlowGossiper implements Gossiper {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger received = new AtomicInteger();

        @Override
        public GossipData gossip() {
            return null;
        }

        @Override
        public GossipData onGossip(byte[] message) {
            return null;
        }

        @Override
        public GossipData onGossipBroadcast(PeerName source, byte[] update) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.incrementAndGet();
            return null;
        }

        @Override
        public void onGossipUnicast(PeerName source, byte[] message) {
        }
    }

    @Test
    void aConnectionIsNotReadWhileItsMessagesWaitForASlowGossiperAndResumesAfter() throws IOException {
        SlowGossiper slow = new SlowGossiper();
        Router router = Router.builder().name(PeerName.parse("00:00:00:00:04:01")).nickName("slow")
                .listen("127.0.0.1", 0).build();
        router.newGossip("slow", slow);
        router.start();
        PeerName rawName = PeerName.parse("00:00:00:00:04:02");
        try (RawPeer raw = new RawPeer(router.port())) {
            raw.handshake(rawName.toString());
            int sent = 1000;
            for (int i = 0; i < sent; i++) {
                // distinct messages: the same bytes from the same source are one broadcast (Router.Builder#broadcastRepair)
                byte[] message = new byte[100];
                message[0] = (byte) i;
                message[1] = (byte) (i >>> 8);
                byte[] frame = WireCodec.encodeGossip(new GossipFrame("slow", rawName, message));
                byte[] body = new byte[frame.length + 1];
                body[0] = 6;
                System.arraycopy(frame, 0, body, 1, frame.length);
                raw.writeFrame(body);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                Connection c = router.localPeer.state().connections().get(rawName);
                return c != null && !c.channel.config().isAutoRead();
            });

            slow.release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> slow.received.get() == sent);
            assertTrue(router.localPeer.state().connections().get(rawName).channel.config().isAutoRead());
        } finally {
            router.stop();
        }
    }
}
