package org.nostrp2p.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.crypto.SecretKey;

class EventsTest {
    private static final SecretKey KEY = SecretKey.parse(
            "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5");

    @Test
    void aSignedEventVerifiesAndCarriesItsAuthor() {
        Event event = Events.sign(KEY, 1732492800L, 1, List.of(List.of("p", KEY.publicKey().toHex())), "hi");
        assertTrue(event.verify());
        assertArrayEquals(KEY.publicKey().bytes(), event.pubkey());
        assertTrue(Events.hasValidId(event));
    }

    @Test
    void theSerializationFollowsNip01() {
        byte[] pubkey = KEY.publicKey().bytes();
        String text = new String(Events.serializeForId(pubkey, 5, 1,
                List.of(List.of("e", "x\"y"), List.of("q")), "a\"b\\c\nd\re\tf\bg\fh\u0001i\u007fj\u00e9k"),
                StandardCharsets.UTF_8);
        assertEquals("[0,\"" + KEY.publicKey().toHex() + "\",5,1,[[\"e\",\"x\\\"y\"],[\"q\"]],"
                + "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\u007fj\u00e9k\"]", text);
    }

    @Test
    void aStrippedEventDoesNotVerifyButKeepsAValidId() {
        Event stripped = Events.sign(KEY, 1, 1, List.of(), "x").withoutSig();
        assertFalse(stripped.verify());
        assertTrue(Events.hasValidId(stripped));
    }

    @Test
    void aWrongIdDoesNotVerifyEvenWithAValidSignatureOfIt() {
        Event event = Events.sign(KEY, 1, 1, List.of(), "x");
        byte[] otherId = Events.computeId(event.pubkey(), 2, 1, List.of(), "x");
        Event forged = new Event(otherId, event.pubkey(), 1, 1, List.of(), "x", KEY.sign(otherId));
        assertFalse(forged.verify());
        assertFalse(Events.hasValidId(forged));
    }

    @Test
    void anotherKeysSignatureDoesNotVerify() {
        Event event = Events.sign(KEY, 1, 1, List.of(), "x");
        Event resigned = new Event(event.id(), event.pubkey(), 1, 1, List.of(), "x",
                SecretKey.generate().sign(event.id()));
        assertFalse(resigned.verify());
    }
}
