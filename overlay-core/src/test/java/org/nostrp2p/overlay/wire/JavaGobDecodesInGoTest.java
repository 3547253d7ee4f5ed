package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.interop.GoBuild;

/**
 * Bytes Java encodes decode in Go, with Go's encoding/gob exactly as weaveworks/mesh reads
 * them (interop/gobcheck), to the values Java encoded: random values of every payload kind
 * and the golden vectors' values.
 */
class JavaGobDecodesInGoTest {

    private static final int SAMPLES_PER_KIND = 150;

    private record Case(String kind, Object value, byte[] bytes) {
    }

    @Test
    void javaEncodingsOfRandomValuesDecodeInGoToTheSameValues() {
        List<Case> cases = new ArrayList<>();
        WireArbitraries.features().sampleStream().limit(SAMPLES_PER_KIND)
                .forEach(v -> cases.add(new Case("features", v, WireCodec.encodeFeatures(v))));
        WireArbitraries.gossipFrames().sampleStream().limit(SAMPLES_PER_KIND)
                .forEach(v -> cases.add(new Case("gossip", v, WireCodec.encodeGossip(v))));
        WireArbitraries.unicastFrames().sampleStream().limit(SAMPLES_PER_KIND)
                .forEach(v -> cases.add(new Case("unicast", v, WireCodec.encodeUnicast(v))));
        WireArbitraries.topologies().sampleStream().limit(SAMPLES_PER_KIND)
                .forEach(v -> cases.add(new Case("topology", v, WireCodec.encodeTopology(v))));
        GobVectors.committed().forEach(v -> cases.add(new Case(v.kind(), v.value(), GobVectors.encode(v.kind(), v.value()))));

        List<JsonNode> answers = goDecode(cases);

        assertEquals(cases.size(), answers.size());
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode answer = answers.get(i);
            assertTrue(answer.path("ok").asBoolean(), () -> "Go refused " + c.kind() + " " + c.value() + ": "
                    + answer.path("error").asText());
            assertEquals(c.value(), GobVectors.value(c.kind(), answer), c.kind());
        }
    }

    /**
     * Differential fuzzing: Java's decoder may be stricter than Go's (it refuses trailing
     * bytes, names wider than 48 bits), but never more lenient: whatever corrupted bytes
     * Java accepts, Go accepts too and reads the same values.
     */
    @Test
    void whateverCorruptedBytesJavaAcceptsGoReadsTheSame() {
        java.util.Random random = new java.util.Random(20261129);
        List<byte[]> valid = new ArrayList<>();
        List<String> kinds = List.of("features", "gossip", "unicast", "topology");
        WireArbitraries.features().sampleStream().limit(40).forEach(v -> valid.add(WireCodec.encodeFeatures(v)));
        WireArbitraries.gossipFrames().sampleStream().limit(40).forEach(v -> valid.add(WireCodec.encodeGossip(v)));
        WireArbitraries.unicastFrames().sampleStream().limit(40).forEach(v -> valid.add(WireCodec.encodeUnicast(v)));
        WireArbitraries.topologies().sampleStream().limit(40).forEach(v -> valid.add(WireCodec.encodeTopology(v)));
        GobVectors.committed().forEach(v -> valid.add(v.bytes()));

        List<Case> accepted = new ArrayList<>();
        int tried = 0;
        while (accepted.size() < 300 && tried < 30_000) {
            tried++;
            byte[] base = valid.get(random.nextInt(valid.size()));
            WireCodecProperties.Mutation mutation = WireCodecProperties.Mutation.values()[
                    random.nextInt(WireCodecProperties.Mutation.values().length)];
            byte[] mutated = mutation.apply(base, random.nextInt(1 << 20), (byte) random.nextInt());
            String kind = kinds.get(random.nextInt(kinds.size()));
            try {
                accepted.add(new Case(kind, GobVectors.decode(kind, mutated), mutated));
            } catch (GobDecodingException refused) {
                // Java refuses: Go may or may not
            }
        }
        System.out.println(accepted.size() + " of " + tried + " mutations decoded in Java");
        assertTrue(accepted.size() >= 100, "only " + accepted.size() + " of " + tried + " mutations decoded");

        List<JsonNode> answers = goDecode(accepted);
        for (int i = 0; i < accepted.size(); i++) {
            Case c = accepted.get(i);
            JsonNode answer = answers.get(i);
            assertTrue(answer.path("ok").asBoolean(), () -> "Java accepted but Go refused " + c.kind() + " "
                    + GobVectors.HEX.formatHex(c.bytes()) + ": " + answer.path("error").asText());
            if (!String.valueOf(c.value()).contains("\ufffd")) {
                // (a string of invalid UTF-8 is lossy on both sides, each replacing differently)
                assertEquals(c.value(), GobVectors.value(c.kind(), answer),
                        () -> c.kind() + " " + GobVectors.HEX.formatHex(c.bytes()));
            }
        }
    }

    @Test
    void goRefusesWhatJavaRefusesForTheSameBrokenBytes() {
        byte[] good = WireCodec.encodeGossip(new GossipFrame("test", new org.nostrp2p.overlay.name.PeerName(7), new byte[] {1, 2}));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        List<JsonNode> answers = goDecode(List.of(new Case("gossip", null, truncated)));
        assertTrue(!answers.get(0).path("ok").asBoolean(), answers.get(0).toString());
    }

    private static List<JsonNode> goDecode(List<Case> cases) {
        String input = cases.stream()
                .map(c -> c.kind() + " " + (c.bytes().length == 0 ? "-" : GobVectors.HEX.formatHex(c.bytes())))
                .collect(Collectors.joining("\n", "", "\n"));
        String output = GoBuild.run("gobcheck", input, List.of());
        List<JsonNode> answers = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                try {
                    answers.add(GobVectors.JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return answers;
    }
}
