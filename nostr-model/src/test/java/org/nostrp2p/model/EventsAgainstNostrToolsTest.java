package org.nostrp2p.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.codec.Np2pCodec;

/**
 * Events signed by another implementation, nostr-tools (src/test/node/sign-vectors.mjs made
 * src/test/resources/nostr-tools/signed-events.json): our serialization is byte for byte the
 * one nostr-tools hashed, our id is theirs, our verify accepts their signature.
 */
class EventsAgainstNostrToolsTest {
    record Signed(String name, String serialized, String json) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Signed> signedEvents() throws IOException {
        var mapper = new ObjectMapper();
        try (InputStream in = EventsAgainstNostrToolsTest.class.getResourceAsStream(
                "/nostr-tools/signed-events.json")) {
            JsonNode root = mapper.readTree(in);
            List<Signed> events = new ArrayList<>();
            for (JsonNode node : root.get("events")) {
                events.add(new Signed(node.get("name").asText(), node.get("serialized").asText(),
                        mapper.writeValueAsString(node.get("event"))));
            }
            return events;
        }
    }

    @Test
    void theVectorsCoverEveryEscapingCase() throws IOException {
        List<String> names = signedEvents().stream().map(Signed::name).toList();
        assertEquals(20, names.size());
        assertTrue(names.containsAll(List.of("quotes and backslashes", "newlines tabs and returns",
                "backspace and form feed", "control characters", "every C0 control", "emoji", "CJK",
                "lone surrogates")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedEvents")
    void ourSerializationIsExactlyTheOneNostrToolsHashed(Signed signed) {
        Event event = EventJson.parse(signed.json());
        byte[] ours = Events.serializeForId(event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content());
        assertEquals(signed.serialized(), new String(ours, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedEvents")
    void ourIdIsTheirIdAndTheirSignatureVerifies(Signed signed) {
        Event event = EventJson.parse(signed.json());
        assertEquals(event.idHex(), Hex.encode(Events.computeId(event.pubkey(), event.createdAt(), event.kind(),
                event.tags(), event.content())));
        assertTrue(event.verify());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedEvents")
    void aChangedContentNoLongerVerifies(Signed signed) {
        Event event = EventJson.parse(signed.json());
        Event changed = new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content() + " ", event.sig());
        assertFalse(changed.verify());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedEvents")
    void theirEventStillVerifiesAfterOurMessagePackAndJsonRoundTrips(Signed signed) {
        Event event = EventJson.parse(signed.json());
        if (signed.name().equals("lone surrogates")) {
            // UTF-8 (MessagePack str) cannot carry a lone surrogate; only JSON can.
            assertTrue(EventJson.parse(EventJson.write(event)).verify());
            return;
        }
        Event viaMsgpack = Np2pCodec.decodeEvent(Np2pCodec.encodeEvent(event));
        assertEquals(event, viaMsgpack);
        assertTrue(viaMsgpack.verify());
        assertEquals(event, EventJson.parse(EventJson.write(event)));
    }
}
