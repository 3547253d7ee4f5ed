package org.nostrp2p.model;

import java.util.List;
import org.nostrp2p.model.crypto.SecretKey;

/** Creating, identifying and verifying NIP-01 events. Thread-safe; no I/O. */
public final class Events {
    // CONTRACT: implemented by the nostr-model work (issue 2).
    private Events() {
    }

    /**
     * The NIP-01 id: sha256 of the UTF-8 bytes of {@code [0,pubkey,created_at,kind,tags,content]}
     * serialized with NIP-01's escaping rules.
     */
    public static byte[] computeId(byte[] pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return a new event signed by {@code key} */
    public static Event sign(SecretKey key, long createdAt, int kind, List<List<String>> tags, String content) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return whether the id is the hash of the event and the signature is valid (false when stripped) */
    public static boolean verify(Event event) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
