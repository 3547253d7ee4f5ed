package org.nostrp2p.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.SecretKey;

class EventJsonTest {
    private static final SecretKey KEY = SecretKey.parse(
            "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa");
    private static final Event EVENT = Events.sign(KEY, 1732492800L, 1,
            List.of(List.of("e", "a".repeat(64), "", "root"), List.of("q")), "hello \"world\"\n🌏");
    private static final String ID = EVENT.idHex();
    private static final String PUBKEY = EVENT.pubkeyHex();

    private static String json(String id, String pubkey, String createdAt, String kind, String tags, String content,
                               String sig) {
        var fields = new StringBuilder("{");
        append(fields, "id", id);
        append(fields, "pubkey", pubkey);
        append(fields, "created_at", createdAt);
        append(fields, "kind", kind);
        append(fields, "tags", tags);
        append(fields, "content", content);
        append(fields, "sig", sig);
        return fields.append('}').toString();
    }

    private static void append(StringBuilder fields, String name, String value) {
        if (value != null) {
            if (fields.length() > 1) {
                fields.append(',');
            }
            fields.append('"').append(name).append("\":").append(value);
        }
    }

    private static String valid(String field, String replacement) {
        return json(
                field.equals("id") ? replacement : "\"" + ID + "\"",
                field.equals("pubkey") ? replacement : "\"" + PUBKEY + "\"",
                field.equals("created_at") ? replacement : "1732492800",
                field.equals("kind") ? replacement : "1",
                field.equals("tags") ? replacement : "[]",
                field.equals("content") ? replacement : "\"x\"",
                field.equals("sig") ? replacement : "\"" + "b".repeat(128) + "\"");
    }

    private static String failure(String json) {
        return assertThrows(CodecException.class, () -> EventJson.parse(json)).getMessage();
    }

    @Test
    void aWrittenEventParsesBackEqualAndStillVerifies() {
        Event parsed = EventJson.parse(EventJson.write(EVENT));
        assertEquals(EVENT, parsed);
        assertTrue(parsed.verify());
    }

    @Test
    void aStrippedEventIsWrittenWithoutSigAndParsesWithNullSig() {
        String json = EventJson.write(EVENT.withoutSig());
        assertFalse(json.contains("\"sig\""));
        assertNull(EventJson.parse(json).sig());
        assertNull(EventJson.parse(valid("sig", "null")).sig());
    }

    @Test
    void theFieldsAreWrittenInNip01Order() {
        String json = EventJson.write(EVENT);
        assertTrue(json.startsWith("{\"id\":\"" + ID + "\",\"pubkey\":\"" + PUBKEY
                + "\",\"created_at\":1732492800,\"kind\":1,\"tags\":[[\"e\""), json);
    }

    @Test
    void unknownFieldsAreIgnoredAndUpperCaseHexIsAccepted() {
        String json = valid("id", "\"" + ID.toUpperCase() + "\"").replace("{", "{\"relay\":{\"a\":[1,2]},");
        assertEquals(ID, EventJson.parse(json).idHex());
    }

    @Test
    void eachRequiredFieldIsNamedWhenMissing() {
        for (String field : List.of("id", "pubkey", "created_at", "kind", "tags", "content")) {
            String json = valid(field, null);
            assertEquals("event JSON: missing \"" + field + "\"", failure(json), field);
        }
    }

    @Test
    void wrongTypesAreNamed() {
        assertEquals("event JSON: \"created_at\" must be an integer, got a fractional number",
                failure(valid("created_at", "1.5")));
        assertEquals("event JSON: \"created_at\" must be an integer, got a string",
                failure(valid("created_at", "\"1732492800\"")));
        assertEquals("event JSON: \"kind\" must be in 0..65535, got 65536", failure(valid("kind", "65536")));
        assertEquals("event JSON: \"kind\" must be in 0..65535, got -1", failure(valid("kind", "-1")));
        assertEquals("event JSON: \"content\" must be a string, got null", failure(valid("content", "null")));
        assertEquals("event JSON: tag 0 element 1 must be a string, got an integer",
                failure(valid("tags", "[[\"e\",1]]")));
        assertEquals("event JSON: tag 0 must be a list of strings, got a string", failure(valid("tags", "[\"e\"]")));
        assertEquals("event JSON: \"tags\" must be a list of lists of strings, got an object",
                failure(valid("tags", "{}")));
        assertEquals("event JSON: \"created_at\" is out of range: 99999999999999999999999",
                failure(valid("created_at", "99999999999999999999999")));
    }

    @Test
    void wrongSizesAreNamed() {
        assertEquals("event JSON: \"id\" must be 64 hex characters, got 62 characters",
                failure(valid("id", "\"" + ID.substring(2) + "\"")));
        assertEquals("event JSON: \"pubkey\" must be 64 hex characters, got a non-hex character",
                failure(valid("pubkey", "\"" + "g".repeat(64) + "\"")));
        assertEquals("event JSON: \"sig\" must be 128 hex characters, got 64 characters",
                failure(valid("sig", "\"" + "b".repeat(64) + "\"")));
    }

    @Test
    void malformedJsonDuplicatesAndTrailingDataAreRefused() {
        assertTrue(failure("{\"id\":").startsWith("event JSON: "));
        assertTrue(failure("[1,2]").contains("expected an object, got a list"));
        assertTrue(failure("").contains("expected an object"));
        assertTrue(failure(null).contains("null"));
        assertTrue(failure(valid("kind", "1,\"kind\":2")).contains("Duplicate field 'kind'"));
        assertTrue(failure(EventJson.write(EVENT) + " {}").contains("after the object"));
    }

    @Test
    void deepNestingInAnIgnoredFieldIsRefusedNotFollowed() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        String json = valid("id", "\"" + ID + "\"").replace("{", "{\"x\":" + deep + ",");
        assertTrue(failure(json).startsWith("event JSON: "));
    }

    @Test
    void tooLongInputIsRefusedBeforeParsing() {
        String json = valid("content", "\"" + "a".repeat(EventJson.MAX_JSON_CHARS) + "\"");
        assertTrue(failure(json).contains("more than the limit"));
    }
}
