package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.interop.GoBuild;

/**
 * Runs interop/gobvectors live (when go is installed) against the mesh the tests build
 * with, including frames captured between two real routers: its output agrees with the
 * committed gob-vectors.json, which the other tests read, and Java decodes and re-encodes
 * each live vector as it does the committed ones.
 */
class GobVectorsLiveTest {

    @Test
    void liveGoVectorsMatchTheCommittedOnesAndJavasCodec() throws IOException {
        assumeTrue(GoBuild.goAvailable(), "go is not installed; the committed vectors stand in");
        List<GobVectors.Vector> live = GobVectors.parse(GobVectors.JSON.readTree(GoBuild.run("gobvectors", "", List.of())));
        Map<String, GobVectors.Vector> committed = GobVectors.committed().stream()
                .collect(Collectors.toMap(GobVectors.Vector::name, Function.identity()));

        assertEquals(committed.keySet(), live.stream().map(GobVectors.Vector::name).collect(Collectors.toSet()));
        for (GobVectors.Vector v : live) {
            GobVectors.Vector old = committed.get(v.name());
            assertEquals(v.value(), GobVectors.decode(v.kind(), v.bytes()), v.name());
            if (v.random()) {
                // real routers' UIDs, ports and timing differ each run: the same kind, the same peers
                assertEquals(old.kind(), v.kind(), v.name());
                if (v.kind().equals("topology")) {
                    assertEquals(peerNames(old.value()), peerNames(v.value()), v.name());
                }
            } else if (GobVectors.hasOneEncoding(v)) {
                assertEquals(GobVectors.HEX.formatHex(old.bytes()), GobVectors.HEX.formatHex(v.bytes()), v.name());
            } else {
                assertEquals(old.value(), v.value(), v.name());
            }
            if (GobVectors.hasOneEncoding(v)) {
                assertEquals(GobVectors.HEX.formatHex(v.bytes()),
                        GobVectors.HEX.formatHex(GobVectors.encode(v.kind(), GobVectors.decode(v.kind(), v.bytes()))),
                        v.name());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Set<String> peerNames(Object topology) {
        return ((List<PeerUpdate>) topology).stream().map(u -> u.peer().name().toString()).collect(Collectors.toSet());
    }
}
