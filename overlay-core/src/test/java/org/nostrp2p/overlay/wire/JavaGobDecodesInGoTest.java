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

    @Test
    void goRefusesWhatJavaRefusesForTheSameBrokenBytes() {
        byte[] good = WireCodec.encodeGossip(new GossipFrame("test", new org.nostrp2p.overlay.PeerName(7), new byte[] {1, 2}));
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
