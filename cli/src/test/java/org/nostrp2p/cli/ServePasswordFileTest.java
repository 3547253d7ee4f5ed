package org.nostrp2p.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.Router;
import org.nostrp2p.server.NostrP2PServer;
import picocli.CommandLine;

/**
 * {@code serve --password-file}: a private network whose overlay only peers with the same
 * mesh password can join.
 */
class ServePasswordFileTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void thePasswordIsTheFileLessOneTrailingLineEnding() throws Exception {
        assertArrayEquals(bytes("s3cret"), MeshPasswordFile.read(file("unix", "s3cret\n")));
        assertArrayEquals(bytes("s3cret"), MeshPasswordFile.read(file("windows", "s3cret\r\n")));
        assertArrayEquals(bytes("s3cret"), MeshPasswordFile.read(file("bare", "s3cret")));
        assertArrayEquals(bytes(" two words \n"), MeshPasswordFile.read(file("kept", " two words \n\n")));
    }

    @Test
    void serveRefusesAnEmptyOrMissingPasswordFileWithAClearMessage() throws Exception {
        String key = SecretKey.generate().publicKey().toHex();
        for (Path bad : List.of(file("empty", "\n"), dir.resolve("missing"))) {
            CommandLine commandLine = Main.commandLine();
            StringWriter err = new StringWriter();
            commandLine.setErr(new PrintWriter(err));
            commandLine.setOut(new PrintWriter(new StringWriter()));

            int exitCode = commandLine.execute("serve", "-p", key, "-l", "127.0.0.1:0", "--password-file", bad.toString());

            assertEquals(2, exitCode, err.toString());
            assertTrue(err.toString().contains("mesh password file " + bad), err.toString());
        }
    }

    @Test
    void aFileOthersCanReadIsNoticed() throws Exception {
        Path file = file("shared", "s3cret\n");
        assertFalse(MeshPasswordFile.readableByOthers(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(MeshPasswordFile.readableByOthers(file));
    }

    @Test
    void onlyAPeerWithTheSamePasswordJoinsAServerWithOne() throws Exception {
        NostrP2PServer server = NostrP2PServer.builder().publicKey(SecretKey.generate().publicKey()).listen("127.0.0.1", 0)
                .dataDirectory(dir.resolve("data")).meshPassword(MeshPasswordFile.read(file("password", "s3cret\n"))).build();
        server.start();
        Router member = Router.builder().name(PeerName.parse("00:00:00:00:0f:01")).listen("127.0.0.1", 0)
                .peerDiscovery(false).password(bytes("s3cret")).build();
        Router stranger = Router.builder().name(PeerName.parse("00:00:00:00:0f:02")).listen("127.0.0.1", 0)
                .peerDiscovery(false).password(bytes("guess")).build();
        try {
            member.start();
            stranger.start();
            String address = server.overlayAddress();
            member.connect(List.of(address));
            stranger.connect(List.of(address));

            PeerName serverName = server.peerName();
            await().atMost(Duration.ofSeconds(15)).until(() -> member.status().unicastRoutes().containsKey(serverName));
            await().atMost(Duration.ofSeconds(15)).until(() -> stranger.status().terminationCount() > 0);
            assertTrue(stranger.status().peer(serverName).isEmpty(), "the stranger never learnt of the server");
        } finally {
            member.stop();
            stranger.stop();
            server.stop();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
