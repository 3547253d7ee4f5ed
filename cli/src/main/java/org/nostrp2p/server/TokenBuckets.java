package org.nostrp2p.server;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per key (a neighbour, a source): {@code rate} tokens a second, at most
 * {@code burst} saved up. Bounded: the least recently used keys are forgotten past
 * {@code maxKeys} (a forgotten key starts again with a full bucket, so the bound must exceed
 * the number of neighbours a server has). Thread-safe.
 */
final class TokenBuckets {

    private final Clock clock;
    private final double ratePerSecond;
    private final double burst;
    private final Map<Object, double[]> buckets;

    TokenBuckets(Clock clock, double ratePerSecond, double burst, int maxKeys) {
        if (ratePerSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("a bucket needs a rate >= 0 and a burst >= 1");
        }
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, double[]> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** @return whether {@code key} had a token; it is spent */
    synchronized boolean take(Object key) {
        double[] bucket = refilled(key);
        if (bucket[0] >= 1) {
            bucket[0] -= 1;
            return true;
        }
        return false;
    }

    /** @return whether {@code key} has a token now; nothing is spent */
    synchronized boolean has(Object key) {
        return refilled(key)[0] >= 1;
    }

    private double[] refilled(Object key) {
        long now = clock.millis();
        double[] bucket = buckets.get(key); // {tokens, at millis}
        if (bucket == null) {
            bucket = new double[] {burst, now};
            buckets.put(key, bucket);
        } else {
            bucket[0] = Math.min(burst, bucket[0] + (now - bucket[1]) * ratePerSecond / 1000.0);
            bucket[1] = now;
        }
        return bucket;
    }
}
