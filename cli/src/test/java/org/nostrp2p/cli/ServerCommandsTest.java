package org.nostrp2p.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.server.NostrP2PServer;
import picocli.CommandLine;

/** {@code serve}, {@code post} and {@code timeline} as a user runs them. */
class ServerCommandsTest {

    record Run(int exitCode, String out, String err) {
    }

    @TempDir
    Path dir;

    private static Run run(Map<String, String> environment, String... args) {
        CommandLine commandLine = Main.commandLine();
        ClientOptions client = ((PostCommand) commandLine.getSubcommands().get("post").getCommand()).client;
        client.environment = environment::get;
        client.defaultKeyFile = () -> Path.of("target", "no-such-key-file");
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void serveWithoutAPublicKeyPointsAtGenkey() {
        Run run = run("serve");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing your public key"), run.err());
        assertTrue(run.err().contains("nostrp2p genkey"), run.err());
    }

    @Test
    void serveTakesTheGoFlagsAndBothFormsOfWritableFalse() {
        for (List<String> args : List.of(List.of("-w", "false"), List.of("-w=false"), List.of("--writable=false"))) {
            ServeCommand command = new ServeCommand();
            List<String> all = new ArrayList<>(List.of("-p", "ab".repeat(32), "-l", "0.0.0.0:30000", "-b", "10.0.0.1:20000", "-b", "10.0.0.2:20000", "-s", "-d"));
            all.addAll(args);
            new CommandLine(command).parseArgs(all.toArray(String[]::new));
            assertFalse(command.writable, args.toString());
            assertEquals(List.of("10.0.0.1:20000", "10.0.0.2:20000"), command.bootstrapPeers);
            assertEquals("0.0.0.0:30000", command.listen);
            assertTrue(command.tls && command.debug);
        }
        ServeCommand defaults = new ServeCommand();
        new CommandLine(defaults).parseArgs("-p", "ab".repeat(32));
        assertTrue(defaults.writable);
        assertEquals("127.0.0.1:20000", defaults.listen);
        assertEquals(Main.commandLine().getSubcommands().get("server").getCommand().getClass(), ServeCommand.class);
    }

    @Test
    void postSignsWithTheKeyFromTheEnvironmentAndTimelineShowsItWithTheAuthorsName() {
        SecretKey user = SecretKey.generate();
        NostrP2PServer server = NostrP2PServer.builder().publicKey(user.publicKey()).listen("127.0.0.1", 0)
                .dataDirectory(dir.resolve("data")).build();
        server.start();
        try {
            Map<String, String> env = Map.of(PostCommand.NSEC_VARIABLE, user.toNsec());
            Run profile = run(env, "post", "--server", server.restUrl(), "--profile", "alice");
            Run posted = run(env, "post", "--server", server.restUrl(), "hello,", "NostrP2P");
            Run timeline = run("timeline", "--server", server.restUrl());

            assertEquals(0, profile.exitCode(), profile.err());
            assertEquals(0, posted.exitCode(), posted.err());
            assertTrue(posted.out().startsWith("Posted: "), posted.out());
            assertEquals(0, timeline.exitCode(), timeline.err());
            assertTrue(timeline.out().contains("alice (npub1"), timeline.out());
            assertTrue(timeline.out().contains("hello, NostrP2P"), timeline.out());
        } finally {
            server.stop();
        }
    }

    @Test
    void postShowsTheServersReasonWhenItRefusesAndAClearMessageWithoutAKey() {
        SecretKey owner = SecretKey.generate();
        NostrP2PServer server = NostrP2PServer.builder().publicKey(owner.publicKey()).listen("127.0.0.1", 0)
                .dataDirectory(dir.resolve("data")).build();
        server.start();
        String url = server.restUrl();
        try {
            Run refused = run("post", "--server", server.restUrl(), "--nsec", SecretKey.generate().toNsec(), "not my server");
            Run noKey = run("post", "--server", server.restUrl(), "hello");

            assertEquals(1, refused.exitCode());
            assertTrue(refused.err().contains("The server refused it (403): only this server's own user"), refused.err());
            assertEquals(2, noKey.exitCode());
            assertTrue(noKey.err().contains("NOSTRP2P_NSEC"), noKey.err());
        } finally {
            server.stop();
        }
        Run unreachable = run("timeline", "--server", url);
        assertEquals(1, unreachable.exitCode());
        assertTrue(unreachable.err().contains("Cannot reach your server"), unreachable.err());
    }

    @Test
    void serveRunsUntilSigtermThenStopsCleanlyKeepingWhatWasPosted() throws Exception {
        SecretKey user = SecretKey.generate();
        int port = freePortPair();
        Process serve = startServe(user, port);
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = pump(serve, out);
        await().atMost(Duration.ofSeconds(30)).until(() -> out.stream().anyMatch(l -> l.startsWith("REST API:")));
        String url = out.stream().filter(l -> l.startsWith("REST API:")).findFirst().orElseThrow().substring(9).trim();
        assertTrue(out.contains("peer name:  " + org.nostrp2p.overlay.name.PeerName.fromLastBytes(user.publicKey().bytes())), out.toString());

        Run posted = run("post", "--server", url, "--nsec", user.toHex(), "survives a restart");
        assertEquals(0, posted.exitCode(), posted.err());
        serve.destroy();

        assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
        reader.join(5000);
        String log = Files.readString(dir.resolve("serve.log"));
        assertTrue(log.contains("stopped"), log);
        Process again = startServe(user, port);
        List<String> outAgain = new CopyOnWriteArrayList<>();
        pump(again, outAgain);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> outAgain.stream().anyMatch(l -> l.startsWith("REST API:")));
            Run timeline = run("timeline", "--server", url);
            assertTrue(timeline.out().contains("survives a restart"), timeline.out() + timeline.err());
        } finally {
            again.destroy();
            again.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process startServe(SecretKey user, int port) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "-p", user.publicKey().toNpub(), "-l", "127.0.0.1:" + port, "--data-dir", dir.resolve("data").toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.log").toFile()))
                .start();
    }

    private static Thread pump(Process process, List<String> lines) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** A port p with p + 1 free too (the REST API's). */
    static int freePortPair() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (var first = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
                int port = first.getLocalPort();
                if (port < 65535) {
                    try (var second = new java.net.ServerSocket(port + 1, 50, java.net.InetAddress.getLoopbackAddress())) {
                        return port;
                    } catch (java.io.IOException e) {
                        // taken: try another
                    }
                }
            }
        }
        throw new IllegalStateException("no free pair of ports");
    }
}
