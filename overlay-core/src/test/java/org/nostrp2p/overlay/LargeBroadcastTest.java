package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Broadcasts that together exceed a connection's outbound budget, to a neighbour that reads them. */
class LargeBroadcastTest {

    @Test
    void aBatchOfBroadcastsLargerThanTheOutboundBudgetIsWrittenAsTheNeighbourReadsIt() {
        try (JavaPeer sender = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("sender"));
             JavaPeer reader = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("reader"));
             LogCapture log = new LogCapture()) {
            reader.connect(sender);
            await().atMost(Duration.ofSeconds(20)).until(() -> sender.knowsAndReaches(reader.name())
                    && reader.knowsAndReaches(sender.name()));
            // forty 1 MiB messages in one batch, as forty broadcasts merge while a write is in
            // flight: 40 MiB against the default 16 MiB outbound budget
            List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] message = new byte[1 << 20];
                message[0] = (byte) i;
                messages.add(message);
            }

            sender.gossip.gossipBroadcast(GossipData.ofMessages(messages));

            await().atMost(Duration.ofSeconds(30)).until(() -> reader.gossiper.received.size() == 40);
            assertEquals(0, sender.router.status().terminationCount(), "the sender closed a connection");
            assertTrue(log.linesContaining("does not read").isEmpty(), log.linesContaining("does not read").toString());
        }
    }
}
