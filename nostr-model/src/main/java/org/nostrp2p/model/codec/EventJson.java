package org.nostrp2p.model.codec;

import org.nostrp2p.model.Event;

/** NIP-01 events as JSON ({@code id, pubkey, created_at, kind, tags, content, sig}). Thread-safe. */
public final class EventJson {
    // CONTRACT: implemented by the nostr-model work (issue 2).
    private EventJson() {
    }

    /**
     * @param json a NIP-01 event object
     * @return the event (not verified)
     * @throws CodecException when malformed, a field is missing or of the wrong type or size
     */
    public static Event parse(String json) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return the event as a NIP-01 JSON object ({@code sig} omitted when stripped) */
    public static String write(Event event) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
