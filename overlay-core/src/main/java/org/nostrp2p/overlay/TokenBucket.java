package org.nostrp2p.overlay;

/**
 * Mesh's {@code tokenBucket} (token_bucket.go): a bucket of {@code capacity} tokens refilled one
 * every {@code tokenInterval}; the router takes one per accepted connection and accepts the
 * next only when a token is there. Not thread-safe: used by the listening channel's event loop.
 */
final class TokenBucket {

    private final long tokenIntervalNanos;
    private final long refillNanos;
    private long earliestUnspentToken;

    TokenBucket(int capacity, long tokenIntervalNanos) {
        this.tokenIntervalNanos = tokenIntervalNanos;
        this.refillNanos = tokenIntervalNanos * capacity;
        this.earliestUnspentToken = System.nanoTime() - refillNanos;
    }

    /**
     * Takes a token.
     *
     * @return nanoseconds to wait before the token taken may be used (0 when one was there)
     */
    long take() {
        long now = System.nanoTime();
        long wait = Math.max(0, earliestUnspentToken - now);
        long capacityToken = now - refillNanos;
        if (earliestUnspentToken < capacityToken) {
            earliestUnspentToken = capacityToken;
        }
        earliestUnspentToken += tokenIntervalNanos;
        return wait;
    }

    /** Gives back one token taken earlier (never more than the capacity). */
    void refund() {
        long floor = System.nanoTime() - refillNanos;
        earliestUnspentToken = Math.max(floor, earliestUnspentToken - tokenIntervalNanos);
    }

    /** @return whether a token is there now */
    boolean available() {
        return earliestUnspentToken <= System.nanoTime();
    }
}
