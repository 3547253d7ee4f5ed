package org.nostrp2p.examples.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example runs as documented: a server starts, takes a post and serves it back. */
class EmbeddedServerTest {

    @TempDir
    Path dir;

    @Test
    void anEmbeddedServerStartsTakesAPostAndServesItBack() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EmbeddedServer.main(new String[] {"--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--once"});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("peer name "), out);
        assertTrue(out.contains(": stored"), out);
        assertTrue(out.contains("timeline: ") && out.contains("hello from an embedded server"), out);
    }
}
