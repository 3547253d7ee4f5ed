package org.nostrp2p.rest;

import java.util.Objects;

/**
 * What a {@link RestBackend} did with a published event: stored, or refused with an HTTP
 * status and a reason. Immutable.
 *
 * @param status the HTTP status to answer: 200 when stored, a 4xx or 5xx otherwise
 * @param reason why it was refused, in words the user understands; {@code "SUCCESS"} when stored
 */
public record PublishResult(int status, String reason) {

    private static final PublishResult STORED = new PublishResult(200, "SUCCESS");

    public PublishResult {
        Objects.requireNonNull(reason, "reason");
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
    }

    /** @return the result of an event that is now stored */
    public static PublishResult stored() {
        return STORED;
    }

    /**
     * @param status an HTTP status, 4xx or 5xx
     * @param reason why, e.g. "only the server's own user may publish"
     * @return a refusal
     */
    public static PublishResult refused(int status, String reason) {
        if (status < 400) {
            throw new IllegalArgumentException("a refusal needs a 4xx or 5xx status, got " + status);
        }
        return new PublishResult(status, reason);
    }

    /** @return whether the event was stored */
    public boolean isStored() {
        return status == 200;
    }
}
