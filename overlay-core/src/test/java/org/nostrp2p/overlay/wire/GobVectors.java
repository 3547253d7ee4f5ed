package org.nostrp2p.overlay.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;

/**
 * The JSON that interop/gobvectors prints and interop/gobcheck answers: gob bytes and the
 * values Go encoded or decoded, turned into this package's types.
 */
final class GobVectors {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    /**
     * One golden vector: its name, kind (features, gossip, unicast, topology), bytes and
     * value; {@code decodeOnly} for bytes a Java encoder need not reproduce (fields mesh
     * does not know, or type ids of a process that encoded other types first); {@code random}
     * for values that differ from run to run (a real router's UID and ports).
     */
    record Vector(String name, String kind, byte[] bytes, Object value, boolean decodeOnly, boolean random) {
        @Override
        public String toString() {
            return name;
        }
    }

    private GobVectors() {
    }

    /** @return the vectors committed as a test resource (interop/gobvectors' output) */
    static List<Vector> committed() {
        try (InputStream in = GobVectors.class.getResourceAsStream("gob-vectors.json")) {
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Vector> parse(JsonNode document) {
        List<Vector> out = new ArrayList<>();
        for (JsonNode v : document.get("vectors")) {
            String kind = v.get("kind").asText();
            out.add(new Vector(v.get("name").asText(), kind, HEX.parseHex(v.get("hex").asText()), value(kind, v),
                    v.path("decodeOnly").asBoolean(false), v.path("random").asBoolean(false)));
        }
        return out;
    }

    /** @return the value a vector or a gobcheck answer describes */
    static Object value(String kind, JsonNode v) {
        switch (kind) {
            case "features": {
                Map<String, String> features = new LinkedHashMap<>();
                JsonNode f = v.get("features");
                if (f != null) {
                    f.properties().forEach(e -> features.put(e.getKey(), e.getValue().asText()));
                }
                return features;
            }
            case "gossip":
                return new GossipFrame(text(v, "channel"), PeerName.parse(v.get("source").asText()),
                        HEX.parseHex(text(v, "data")));
            case "unicast":
                return new UnicastFrame(text(v, "channel"), PeerName.parse(v.get("source").asText()),
                        PeerName.parse(v.get("destination").asText()), HEX.parseHex(text(v, "data")));
            case "topology": {
                List<PeerUpdate> updates = new ArrayList<>();
                JsonNode us = v.get("updates");
                if (us != null) {
                    for (JsonNode u : us) {
                        JsonNode p = u.get("peer");
                        PeerSummary peer = new PeerSummary(PeerName.parse(p.get("name").asText()),
                                p.get("nickName").asText(), Long.parseUnsignedLong(p.get("uid").asText()),
                                Long.parseUnsignedLong(p.get("version").asText()), p.get("shortId").asInt(),
                                p.get("hasShortId").asBoolean());
                        List<ConnectionSummary> connections = new ArrayList<>();
                        for (JsonNode c : u.get("connections")) {
                            connections.add(new ConnectionSummary(PeerName.parse(c.get("name").asText()),
                                    c.get("remoteTcpAddr").asText(), c.get("outbound").asBoolean(),
                                    c.get("established").asBoolean()));
                        }
                        updates.add(new PeerUpdate(peer, connections));
                    }
                }
                return updates;
            }
            default:
                throw new IllegalArgumentException("unknown vector kind " + kind);
        }
    }

    private static String text(JsonNode v, String field) {
        JsonNode n = v.get(field);
        return n == null ? "" : n.asText();
    }

    /** @return what WireCodec decodes from the vector's bytes */
    static Object decode(String kind, byte[] bytes) {
        return switch (kind) {
            case "features" -> WireCodec.decodeFeatures(bytes);
            case "gossip" -> WireCodec.decodeGossip(bytes);
            case "unicast" -> WireCodec.decodeUnicast(bytes);
            case "topology" -> WireCodec.decodeTopology(bytes);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** @return what WireCodec encodes for the value */
    @SuppressWarnings("unchecked")
    static byte[] encode(String kind, Object value) {
        return switch (kind) {
            case "features" -> WireCodec.encodeFeatures((Map<String, String>) value);
            case "gossip" -> WireCodec.encodeGossip((GossipFrame) value);
            case "unicast" -> WireCodec.encodeUnicast((UnicastFrame) value);
            case "topology" -> WireCodec.encodeTopology((List<PeerUpdate>) value);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /**
     * Go writes a map in random order, so only a map of at most one entry has one encoding.
     *
     * @return whether Go's bytes for this value are the only possible ones
     */
    static boolean hasOneEncoding(Vector v) {
        return !v.decodeOnly() && (!(v.value() instanceof Map<?, ?> m) || m.size() <= 1);
    }
}
