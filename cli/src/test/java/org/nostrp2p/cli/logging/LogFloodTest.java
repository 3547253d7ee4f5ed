package org.nostrp2p.cli.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar's log under a flood of the same line: a few KB, never MB. */
@Tag("flood")
class LogFloodTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private LoggerContext context;

    @BeforeEach
    void configureAsTheJarDoes() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL shipped = LogFloodTest.class.getResource("/org/nostrp2p/cli/logback-cli.xml");
        configurator.doConfigure(shipped);
    }

    @AfterEach
    void restore() {
        context.stop();
        System.setErr(originalErr);
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFloodOfAcceptErrorsWritesAFewKilobytesNotMegabytes() {
        Logger netty = context.getLogger("io.netty.channel.nio.AbstractNioMessageChannel");
        IOException tooManyFiles = new IOException("Too many open files");
        // The depth of Netty's accept path, not of JUnit's.
        tooManyFiles.setStackTrace(java.util.Arrays.copyOf(tooManyFiles.getStackTrace(), 12));

        for (int i = 0; i < 100_000; i++) {
            netty.warn("Failed to create a new channel from an accepted socket.", tooManyFiles);
        }

        assertTrue(console.size() < 16 * 1024, console.size() + " bytes of log");
        assertTrue(console().contains("Too many open files"), "the cause is still told");
    }

    @Test
    void anotherLineStillGetsThroughDuringAFlood() {
        Logger xnio = context.getLogger("org.xnio.nio");
        for (int i = 0; i < 10_000; i++) {
            xnio.error("XNIO001007: A channel event listener threw an exception", new IllegalStateException("boom"));
        }

        context.getLogger("org.nostrp2p.rest.RestServer").info("REST API listening on {}", "http://127.0.0.1:20001");

        assertTrue(console().contains("REST API listening on http://127.0.0.1:20001"));
    }

    @Test
    void aFloodOfLinesDifferingOnlyInTheirArgumentsCountsAsOneLine() {
        Logger server = context.getLogger("org.nostrp2p.server.PacketReceiver");
        for (int i = 0; i < 50_000; i++) {
            server.warn("Dropped a packet from {}: {}", "peer-" + i, "bad signature");
        }

        assertEquals(5, console().lines().count());
    }

    @Test
    void theLineAfterAQuietWindowSaysHowManyWereDropped() {
        RepeatedLineFilter filter = (RepeatedLineFilter) context.getTurboFilterList().get(0);
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        filter.setNanoClock(clock::get);
        Logger undertow = context.getLogger("io.undertow.request.io");
        for (int i = 0; i < 1_000; i++) {
            undertow.debug("ignored: debug is off");
            undertow.warn("UT005013: An IOException occurred");
        }
        clock.addAndGet(61_000_000_000L);

        undertow.warn("UT005013: An IOException occurred");

        assertTrue(console().contains("995 more lines like the next one (from io.undertow.request.io) were dropped"), console());
    }

    @Test
    void theLogFileRollsOverAndKeepsAtMostItsCap(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("server.log");
        context.getTurboFilterList().clear();
        LogFile.writeTo(context, file, 64 * 1024, 3, 0);
        Logger logger = context.getLogger("org.nostrp2p.test");

        for (int i = 0; i < 20_000; i++) {
            logger.info("line {} of a long run, long enough to fill a file quickly: {}", i, "x".repeat(40));
        }

        try (Stream<Path> files = Files.list(directory)) {
            long total = 0;
            for (Path p : files.toList()) {
                total += Files.size(p);
            }
            assertTrue(total <= 4 * 70 * 1024, total + " bytes on disk");
        }
        assertTrue(Files.exists(directory.resolve("server.log.3")));
        assertFalse(Files.exists(directory.resolve("server.log.4")));
    }
}
