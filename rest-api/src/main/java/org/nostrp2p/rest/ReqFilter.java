package org.nostrp2p.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A client's {@code POST /req} body: a NIP-01 filter as the NostrP2P client sends it, with the
 * numbers kept as sent ({@code -1} means "not given" to the Go server, {@code 0} has meanings
 * of its own, see {@link #KIND_RECENT_EVENTS}). Immutable.
 *
 * @param ids     event ids (64 lowercase hex), or {@code null}
 * @param authors public keys (64 lowercase hex), or {@code null}
 * @param kinds   kinds, or {@code null}
 * @param tags    {@code #x} conditions by tag letter; never {@code null}
 * @param since   as sent, or {@code null}
 * @param until   as sent, or {@code null}
 * @param limit   as sent, or {@code null}
 */
public record ReqFilter(List<String> ids, List<String> authors, List<Integer> kinds,
                        Map<Character, List<String>> tags, Long since, Long until, Long limit) {

    /**
     * NostrP2P's own kind: "recent events of every kind", with the Go server's rules: a
     * {@code limit} other than -1 (or 0) means the latest {@code limit} events whatever
     * since/until say; else {@code since} 0 (or absent) means the latest 50; else the
     * inclusive range [since, until] ({@code until} 0 = no upper bound). Oldest first.
     */
    public static final int KIND_RECENT_EVENTS = org.nostrp2p.model.EventKind.RECENT_EVENTS;

    /** At most this many entries in any list of a filter. */
    public static final int MAX_LIST_ENTRIES = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ReqFilter {
        ids = ids == null ? null : List.copyOf(ids);
        authors = authors == null ? null : List.copyOf(authors);
        kinds = kinds == null ? null : List.copyOf(kinds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** @return a filter with these kinds and nothing else */
    public static ReqFilter ofKinds(Integer... kinds) {
        return new ReqFilter(null, null, List.of(kinds), Map.of(), null, null, null);
    }

    /** @return whether {@code kinds} names {@code kind} */
    public boolean hasKind(int kind) {
        return kinds != null && kinds.contains(kind);
    }

    /** @return the first author, or {@code null} */
    public String firstAuthor() {
        return authors == null || authors.isEmpty() ? null : authors.get(0);
    }

    /** @return the first id, or {@code null} */
    public String firstId() {
        return ids == null || ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Parses a filter strictly: an object; {@code ids}/{@code authors}/{@code #x} lists of
     * strings (ids and authors 64 hex characters), {@code kinds} a list of integers in
     * 0..65535, {@code since}/{@code until}/{@code limit} integers; other keys are ignored.
     *
     * @param json the body
     * @return the filter
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static ReqFilter parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the filter is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new IllegalArgumentException("the filter must be a JSON object");
        }
        List<String> ids = hexList(object, "ids");
        List<String> authors = hexList(object, "authors");
        List<Integer> kinds = null;
        JsonNode kindsNode = object.get("kinds");
        if (kindsNode != null && !kindsNode.isNull()) {
            kinds = new ArrayList<>();
            for (JsonNode k : array(kindsNode, "kinds")) {
                long kind = integer(k, "kinds[]");
                if (kind < 0 || kind > 65535) {
                    throw new IllegalArgumentException("a kind is in 0..65535, got " + kind);
                }
                kinds.add((int) kind);
            }
        }
        Map<Character, List<String>> tags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.length() == 2 && key.charAt(0) == '#' && !field.getValue().isNull()) {
                List<String> values = new ArrayList<>();
                for (JsonNode v : array(field.getValue(), key)) {
                    if (!v.isTextual()) {
                        throw new IllegalArgumentException(key + " must be a list of strings");
                    }
                    values.add(v.asText());
                }
                tags.put(key.charAt(1), values);
            }
        }
        return new ReqFilter(ids, authors, kinds, tags,
                optionalInteger(object, "since"), optionalInteger(object, "until"), optionalInteger(object, "limit"));
    }

    /** @return this filter as the JSON the client sends */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        if (ids != null) {
            ids.forEach(o.putArray("ids")::add);
        }
        if (authors != null) {
            authors.forEach(o.putArray("authors")::add);
        }
        if (kinds != null) {
            kinds.forEach(o.putArray("kinds")::add);
        }
        tags.forEach((name, values) -> values.forEach(o.putArray("#" + name)::add));
        if (since != null) {
            o.put("since", since);
        }
        if (until != null) {
            o.put("until", until);
        }
        if (limit != null) {
            o.put("limit", limit);
        }
        return o.toString();
    }

    private static List<String> hexList(ObjectNode object, String name) {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(node, name)) {
            String text = v.isTextual() ? v.asText().toLowerCase(Locale.ROOT) : null;
            if (text == null || text.length() != 64 || !text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException(name + " must be a list of 64 hex characters, got " + abbreviate(v.toString()));
            }
            out.add(text);
        }
        return out;
    }

    private static ArrayNode array(JsonNode node, String name) {
        if (!(node instanceof ArrayNode a)) {
            throw new IllegalArgumentException(name + " must be a list");
        }
        if (a.size() > MAX_LIST_ENTRIES) {
            throw new IllegalArgumentException(name + " has " + a.size() + " entries, at most " + MAX_LIST_ENTRIES + " are accepted");
        }
        return a;
    }

    private static Long optionalInteger(ObjectNode object, String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : integer(node, name);
    }

    private static long integer(JsonNode node, String name) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble())
                && Math.abs(node.asDouble()) < 9.0e15) {
            return (long) node.asDouble();
        }
        throw new IllegalArgumentException(name + " must be an integer, got " + abbreviate(node.toString()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
