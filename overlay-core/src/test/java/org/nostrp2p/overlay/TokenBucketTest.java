package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The accept limiter, as mesh's token_bucket.go: a full bucket lets a burst through (its
 * capacity, plus the token falling due at that moment), then one token per interval.
 */
class TokenBucketTest {

    @Test
    void aFullBucketAdmitsABurstThenOnePerInterval() {
        long interval = TimeUnit.SECONDS.toNanos(2);
        TokenBucket bucket = new TokenBucket(3, interval);
        for (int i = 0; i < 4; i++) {
            assertEquals(0, bucket.take(), "take " + i + " of the burst");
        }
        long next = bucket.take();
        long after = bucket.take();
        assertTrue(next > 0 && next <= interval, "the next waits for a token: " + next);
        assertTrue(after > next && after <= 2 * interval, "the one after waits one interval more: " + after);
    }
}
