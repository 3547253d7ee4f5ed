package org.nostrp2p.model.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Hex;

/**
 * NIP-01 events as JSON ({@code id, pubkey, created_at, kind, tags, content, sig}). Thread-safe.
 *
 * <p>{@link #parse} is strict: one JSON object and nothing after it; {@code id} and
 * {@code pubkey} 64 hex characters, {@code sig} 128 (or absent or null, a stripped event),
 * {@code created_at} an integer, {@code kind} an integer in 0..65535, {@code tags} a list
 * of lists of strings, {@code content} a string; no field twice; other fields are ignored.
 * Sizes are bounded by {@link #MAX_JSON_CHARS}, {@link #MAX_TAGS} and {@link #MAX_TAG_ELEMENTS}.
 */
public final class EventJson {
    /** The longest JSON text {@link #parse} reads. */
    public static final int MAX_JSON_CHARS = 8 * 1024 * 1024;
    /** The most tags an event may have. */
    public static final int MAX_TAGS = 100_000;
    /** The most strings one tag may have. */
    public static final int MAX_TAG_ELEMENTS = 1_000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16)
                    .maxStringLength(MAX_JSON_CHARS)
                    .maxNumberLength(32)
                    .build())
            .build();

    private EventJson() {
    }

    /**
     * @param json a NIP-01 event object
     * @return the event (not verified)
     * @throws CodecException when malformed, a field is missing or of the wrong type or size
     */
    public static Event parse(String json) {
        if (json == null) {
            throw new CodecException("event JSON: expected an object, got null");
        }
        if (json.length() > MAX_JSON_CHARS) {
            throw new CodecException("event JSON: " + json.length() + " characters, more than the limit of "
                    + MAX_JSON_CHARS);
        }
        try (JsonParser parser = JSON.createParser(json)) {
            Event event = readEvent(parser);
            if (parser.nextToken() != null) {
                throw new CodecException("event JSON: unexpected " + parser.currentToken() + " after the object");
            }
            return event;
        } catch (CodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CodecException("event JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Reads one event object from a parser positioned before it (or on its START_OBJECT), for
     * callers that parse a larger document. Leaves the parser on the object's END_OBJECT.
     *
     * @throws CodecException when malformed
     */
    public static Event read(JsonParser parser) {
        try {
            return readEvent(parser);
        } catch (CodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CodecException("event JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /** @return the event as a NIP-01 JSON object ({@code sig} omitted when stripped) */
    public static String write(Event event) {
        var out = new StringWriter(256 + event.content().length());
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            write(event, generator);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }

    /** Writes the event as a NIP-01 JSON object to {@code generator}. */
    public static void write(Event event, JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("id", event.idHex());
        generator.writeStringField("pubkey", event.pubkeyHex());
        generator.writeNumberField("created_at", event.createdAt());
        generator.writeNumberField("kind", event.kind());
        generator.writeArrayFieldStart("tags");
        for (List<String> tag : event.tags()) {
            generator.writeStartArray();
            for (String element : tag) {
                generator.writeString(element);
            }
            generator.writeEndArray();
        }
        generator.writeEndArray();
        generator.writeStringField("content", event.content());
        if (event.sig() != null) {
            generator.writeStringField("sig", event.sigHex());
        }
        generator.writeEndObject();
    }

    private static Event readEvent(JsonParser parser) throws IOException {
        JsonToken start = parser.currentToken() == JsonToken.START_OBJECT ? JsonToken.START_OBJECT : parser.nextToken();
        if (start != JsonToken.START_OBJECT) {
            throw new CodecException("event JSON: expected an object, got " + describe(start));
        }
        byte[] id = null;
        byte[] pubkey = null;
        Long createdAt = null;
        Integer kind = null;
        List<List<String>> tags = null;
        String content = null;
        byte[] sig = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "id" -> id = readHex(parser, value, "id", 32);
                case "pubkey" -> pubkey = readHex(parser, value, "pubkey", 32);
                case "created_at" -> createdAt = readLong(parser, value, "created_at");
                case "kind" -> kind = readKind(parser, value);
                case "tags" -> tags = readTags(parser, value);
                case "content" -> content = readString(parser, value, "content");
                case "sig" -> sig = value == JsonToken.VALUE_NULL ? null : readHex(parser, value, "sig", 64);
                default -> parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new CodecException("event JSON: expected a field name or '}', got " + describe(token));
        }
        require(id, "id");
        require(pubkey, "pubkey");
        require(createdAt, "created_at");
        require(kind, "kind");
        require(tags, "tags");
        require(content, "content");
        return new Event(id, pubkey, createdAt, kind, tags, content, sig);
    }

    private static byte[] readHex(JsonParser parser, JsonToken token, String field, int bytes) throws IOException {
        String text = readString(parser, token, field);
        if (!Hex.isHex(text, bytes)) {
            throw new CodecException("event JSON: \"" + field + "\" must be " + 2 * bytes + " hex characters, got "
                    + (text.length() == 2 * bytes ? "a non-hex character" : text.length() + " characters"));
        }
        return Hex.decode(text, bytes, field);
    }

    private static String readString(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new CodecException("event JSON: \"" + field + "\" must be a string, got " + describe(token));
        }
        return parser.getText();
    }

    private static long readLong(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new CodecException("event JSON: \"" + field + "\" must be an integer, got " + describe(token));
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new CodecException("event JSON: \"" + field + "\" is out of range: " + parser.getText());
        }
        return parser.getLongValue();
    }

    private static int readKind(JsonParser parser, JsonToken token) throws IOException {
        long kind = readLong(parser, token, "kind");
        if (kind < 0 || kind > 65535) {
            throw new CodecException("event JSON: \"kind\" must be in 0..65535, got " + kind);
        }
        return (int) kind;
    }

    private static List<List<String>> readTags(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new CodecException("event JSON: \"tags\" must be a list of lists of strings, got " + describe(token));
        }
        List<List<String>> tags = new ArrayList<>();
        JsonToken tagToken;
        while ((tagToken = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (tagToken != JsonToken.START_ARRAY) {
                throw new CodecException("event JSON: tag " + tags.size() + " must be a list of strings, got "
                        + describe(tagToken));
            }
            if (tags.size() == MAX_TAGS) {
                throw new CodecException("event JSON: more than " + MAX_TAGS + " tags");
            }
            List<String> tag = new ArrayList<>();
            JsonToken element;
            while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (element != JsonToken.VALUE_STRING) {
                    throw new CodecException("event JSON: tag " + tags.size() + " element " + tag.size()
                            + " must be a string, got " + describe(element));
                }
                if (tag.size() == MAX_TAG_ELEMENTS) {
                    throw new CodecException("event JSON: tag " + tags.size() + " has more than "
                            + MAX_TAG_ELEMENTS + " elements");
                }
                tag.add(parser.getText());
            }
            tags.add(tag);
        }
        return tags;
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new CodecException("event JSON: missing \"" + field + "\"");
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
