package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes Go's encoding/gob writes for mesh's payloads (interop/gobvectors, committed as
 * gob-vectors.json: chosen values, and frames captured between two real mesh routers)
 * decode in Java to the values Go encoded, and Java encodes those values to the same bytes
 * (except where the bytes carry another process's type ids or a random map order).
 */
class GoldenGobVectorsTest {

    static Stream<GobVectors.Vector> vectors() {
        return GobVectors.committed().stream();
    }

    @Test
    void theCommittedVectorsCoverEveryPayloadKind() {
        List<GobVectors.Vector> all = GobVectors.committed();
        for (String kind : List.of("features", "gossip", "unicast", "topology")) {
            assertTrue(all.stream().anyMatch(v -> v.kind().equals(kind)), kind);
        }
        assertTrue(all.stream().anyMatch(v -> v.name().equals("topology-real-router")));
        assertTrue(all.stream().anyMatch(v -> v.name().equals("topology-real-routers-connected")));
        assertTrue(all.stream().anyMatch(v -> v.name().equals("capture-broadcast")), "frames captured between real routers");
        assertTrue(all.stream().anyMatch(GobVectors.Vector::decodeOnly), "a vector with fields mesh does not know");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void goBytesDecodeToTheValueGoEncoded(GobVectors.Vector vector) {
        assertEquals(vector.value(), GobVectors.decode(vector.kind(), vector.bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void javaEncodesTheValueToGoBytes(GobVectors.Vector vector) {
        Object decoded = GobVectors.decode(vector.kind(), vector.bytes());
        byte[] encoded = GobVectors.encode(vector.kind(), decoded);
        if (GobVectors.hasOneEncoding(vector)) {
            assertEquals(GobVectors.HEX.formatHex(vector.bytes()), GobVectors.HEX.formatHex(encoded));
        } else {
            assertEquals(vector.value(), GobVectors.decode(vector.kind(), encoded));
            if (!vector.decodeOnly()) {
                assertEquals(vector.bytes().length, encoded.length, "the same entries, in another order");
            }
        }
    }

    @Test
    void theMeshNotesExampleIsWhatJavaWrites() {
        GossipFrame frame = new GossipFrame("topology", org.nostrp2p.overlay.name.PeerName.parse("00:00:00:00:00:01"),
                new byte[] {(byte) 0xaa, (byte) 0xbb});
        assertEquals("0b0c0008746f706f6c6f677903060001050a0002aabb",
                GobVectors.HEX.formatHex(WireCodec.encodeGossip(frame)));
        assertFalse(GobVectors.committed().isEmpty());
    }
}
