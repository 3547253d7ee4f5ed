package org.nostrp2p.overlay;

import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * Beyond mesh: the bytes one connection may have written and not yet handed to the kernel. A
 * peer that stops reading while others relay unicasts to it would otherwise make this peer
 * buffer without bound until the write deadline (two heartbeats, a minute); past the budget
 * the connection is closed at once. The budget holds one frame of the largest size with room
 * to spare, so an honest peer reading at any steady pace never meets it. Thread-safe.
 */
final class OutboundBudget {

    /** Default: one largest frame ({@link WireCodec#MAX_FRAME_BYTES}) and 6 MiB more. */
    static final long DEFAULT_MAX_BYTES = WireCodec.MAX_FRAME_BYTES + 6L * 1024 * 1024;

    private final long maxBytes;
    private final AtomicLong queued = new AtomicLong();

    OutboundBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Charges a write of {@code bytes}.
     *
     * @return false when the write would take the queued bytes past the budget (nothing charged)
     */
    boolean charge(long bytes) {
        long after = queued.addAndGet(bytes);
        if (after > maxBytes) {
            queued.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** A write charged earlier completed or failed. */
    void release(long bytes) {
        queued.addAndGet(-bytes);
    }

    /** @return bytes written and not yet sent */
    long queued() {
        return queued.get();
    }

    long maxBytes() {
        return maxBytes;
    }
}
