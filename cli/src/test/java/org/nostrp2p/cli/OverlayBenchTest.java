package org.nostrp2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** `nostrp2p bench overlay` on a small cluster: it converges, the broadcast reaches all, the line is the documented JSON. */
class OverlayBenchTest {

    @Test
    void aSmallRandomClusterConvergesAndReportsOneJsonLineWithEveryField() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        OverlayBench.Result result = new OverlayBench(8, OverlayBench.Join.RANDOM, 4, 60,
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        assertTrue(result.converged(), progress.toString(StandardCharsets.UTF_8));
        JsonNode line = new ObjectMapper().readTree(result.json());
        assertEquals("java", line.get("impl").asText());
        assertEquals(8, line.get("n").asInt());
        assertEquals("random", line.get("join").asText());
        assertEquals(7, line.get("bcast_delivered").asInt());
        for (String field : new String[] {"converge_ms", "bcast_ms", "settle_ms", "bcast_settled_ms", "avg_conns_per_peer", "cpu_ms",
            "jit_ms", "heap_mb"}) {
            assertTrue(line.get(field).asDouble() >= 0, field + " in " + line);
        }
        assertTrue(line.get("avg_conns_per_peer").asDouble() <= 2 * 4, "degree 4 bounds the links: " + line);
        // which JVM the figures come from: its version, compilers and young collector
        assertTrue(line.get("jvm").asText().matches(java.util.regex.Pattern.quote(Runtime.version().toString())
                + " (c1|c2|tiered) .+"), line.toString());
    }

    @Test
    void warmUpRunsComeFirstUnmeasuredAndTheMeasuredRunPrintsTheOnlyJsonLine() {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("bench", "overlay", "--nodes", "4", "--join", "chain", "--warmup", "2");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }

        String progress = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, progress);
        assertTrue(progress.contains("warm-up 1 of 2: converged in "), progress);
        assertTrue(progress.contains("warm-up 2 of 2: converged in "), progress);
        assertTrue(progress.indexOf("warm-up 2 of 2") < progress.indexOf("routers started"), "then the measured run: " + progress);
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(1, lines.length, "one JSON line: " + String.join(" | ", lines));
        assertTrue(lines[0].startsWith("{\"impl\":\"java\",\"n\":4,\"join\":\"chain\""), lines[0]);
    }
}
