package org.nostrp2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * `nostrp2p bench overlay --go-peers`: Java routers and a real Go mesh process (interop/meshpeer,
 * Debian's mesh 2018; -Dinterop.gopath=... for another version) in one overlay on loopback.
 */
class MixedOverlayBenchTest {

    @Test
    void aStarOfEightJavaAndFourGoPeersConvergesAndOneBroadcastFromJavaReachesEveryJavaAndGoPeer() throws Exception {
        Path go = GoMeshPeerProgram.build();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        OverlayBench.Result result = new OverlayBench(8, OverlayBench.Join.STAR, -1, 25,
                new PrintStream(progress, true, StandardCharsets.UTF_8))
                .withGoPeers(go, 4, GoMeshPeerProgram.implLabel()).run();

        String why = progress.toString(StandardCharsets.UTF_8);
        assertTrue(result.convergeMillis() >= 0, "every Java and Go router reaches the 11 others: " + why);
        assertTrue(why.contains("go: 4 " + GoMeshPeerProgram.implLabel() + " routers reach every peer"), why);
        JsonNode line = new ObjectMapper().readTree(result.json());
        assertEquals(11, line.get("bcast_delivered").asInt(), "7 Java + 4 Go routers get the broadcast: " + why);
        assertEquals(4, line.get("go_peers").asInt(), line.toString());
        assertEquals(8, line.get("n").asInt(), line.toString());
        assertTrue(result.converged(), why);
    }

    @Test
    void aGoProgramThatExitsEndsTheRunUnconvergedWithItsExitStatusInsteadOfWaitingForTheTimeout() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        OverlayBench.Result result = new OverlayBench(3, OverlayBench.Join.STAR, -1, 120,
                new PrintStream(progress, true, StandardCharsets.UTF_8))
                .withGoPeers(Path.of("/bin/false"), 2, "go-2018").run();

        String why = progress.toString(StandardCharsets.UTF_8);
        assertEquals(-1, result.convergeMillis(), why);
        assertTrue(why.contains("no convergence: the Go program exited with status 1"), why);
        assertTrue(!result.converged(), why);
    }
}
