package org.nostrp2p.rest.relay;

/** A token bucket: {@link RelayLimits#EVENTS_PER_SECOND}, bursts of {@link RelayLimits#EVENT_BURST}. */
final class EventBucket {
    private double tokens = RelayLimits.EVENT_BURST;
    private long last = System.nanoTime();

    synchronized boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(RelayLimits.EVENT_BURST, tokens + (now - last) / 1e9 * RelayLimits.EVENTS_PER_SECOND);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
