package org.nostrp2p.store;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.nostrp2p.model.Event;

/**
 * Events for example tests: random 32-byte ids and keys and 64-byte "signatures". The store
 * neither hashes nor verifies, so these are as good as signed ones for it.
 */
final class TestEvents {

    private static final Random RANDOM = new SecureRandom();

    private TestEvents() {
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static byte[] randomKey() {
        return randomBytes(32);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static Event event(byte[] pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        return new Event(randomBytes(32), pubkey, createdAt, kind, tags, content, randomBytes(64));
    }

    static Event post(byte[] pubkey, long createdAt) {
        return event(pubkey, createdAt, 1, List.of(), "post at " + createdAt);
    }

    /** An event with this exact id. */
    static Event withId(byte[] id, byte[] pubkey, long createdAt, int kind) {
        return new Event(id, pubkey, createdAt, kind, List.of(), "", randomBytes(64));
    }
}
