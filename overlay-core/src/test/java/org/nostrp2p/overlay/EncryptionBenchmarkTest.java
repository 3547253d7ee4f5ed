package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EncryptionBenchmark} still measures what it says: one batch of each pair, plain and
 * encrypted, arrives whole (the benchmark runs by hand, so without this a change that made it
 * wait for messages that never come, as broadcast de-duplication once did, went unseen).
 */
class EncryptionBenchmarkTest {

    @Test
    @Timeout(120)
    void aBatchOfDistinctBroadcastsArrivesWholeOnPlainAndOnEncryptedRouters() throws Exception {
        for (EncryptionBenchmark.Pair pair : new EncryptionBenchmark.Pair[] {
            new EncryptionBenchmark.PlainPair(), new EncryptionBenchmark.EncryptedPair()}) {
            pair.start();
            try {
                assertEquals(EncryptionBenchmark.BATCH, pair.broadcastBatch(), pair.getClass().getSimpleName());
                assertEquals(2L * EncryptionBenchmark.BATCH, pair.broadcastBatch(), pair.getClass().getSimpleName());
            } finally {
                pair.stop();
            }
        }
    }
}
