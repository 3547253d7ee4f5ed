package org.nostrp2p.rest.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RelayConnectionTest {

    @Test
    void whatIsQueuedForAClientIsCountedInUtf8Bytes() {
        for (String text : new String[] {"", "ascii", "aé€😀", "こんにちは", "🌏🚀👩‍👩‍👧‍👦"}) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, RelayConnection.utf8Length(text), text);
        }
    }

    @Test
    void refusalsGetNip01PrefixesByHttpStatus() {
        assertEquals("blocked: ", RelayConnection.prefix(403));
        assertEquals("blocked: ", RelayConnection.prefix(406));
        assertEquals("invalid: ", RelayConnection.prefix(400));
        assertEquals("rate-limited: ", RelayConnection.prefix(429));
        assertEquals("error: ", RelayConnection.prefix(500));
    }
}
