package org.nostrp2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.crypto.Nip49;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.server.NostrP2PServer;
import picocli.CommandLine;

/** {@code genkey --save} writes a NIP-49 key file, and the client commands open it with the passphrase. */
class KeyFileCommandsTest {

    record Run(int exitCode, String out, String err) {
    }

    @TempDir
    Path dir;

    private static Run run(String... args) {
        CommandLine commandLine = Main.commandLine();
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path passphrase(String text) throws Exception {
        Path file = dir.resolve("pass-" + text.hashCode());
        Files.writeString(file, text + "\n");
        return file;
    }

    @Test
    void genkeySaveWritesAnNcryptsecReadableOnlyByItsOwnerAndPrintsNoSecret() throws Exception {
        Path keyFile = dir.resolve("keys").resolve("me.ncryptsec");

        Run run = run("genkey", "--save", keyFile.toString(), "--passphrase-file", passphrase("open sesame").toString());

        assertEquals(0, run.exitCode(), run.err());
        String content = Files.readString(keyFile).strip();
        assertTrue(content.startsWith("ncryptsec1"), content);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals(Nip49.DEFAULT_LOG_N, org.nostrp2p.model.nip19.Nip19.decodeNcryptsec(content)[1]);
        SecretKey key = Nip49.decrypt(content, "open sesame");
        assertTrue(run.out().contains(key.publicKey().toNpub()), run.out());
        assertFalse(run.out().contains(key.toNsec()) || run.out().contains(key.toHex()), "the secret key was printed");
        assertFalse(run.out().contains("nsec1"), run.out());
    }

    @Test
    void genkeySaveNeverOverwritesAKeyFile() throws Exception {
        Path keyFile = dir.resolve("existing");
        Files.writeString(keyFile, "precious");

        Run run = run("genkey", "--save", keyFile.toString(), "--passphrase-file", passphrase("x").toString(), "--scrypt-log-n", "4");

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("already exists"), run.err());
        assertEquals("precious", Files.readString(keyFile));
    }

    @Test
    void aClientCommandSignsWithTheKeyFileAndSaysSoWhenThePassphraseIsWrong() throws Exception {
        Path keyFile = dir.resolve("key.ncryptsec");
        assertEquals(0, run("genkey", "--save", keyFile.toString(), "--passphrase-file", passphrase("right").toString(),
                "--scrypt-log-n", "4").exitCode());
        SecretKey key = Nip49.decrypt(Files.readString(keyFile).strip(), "right");
        NostrP2PServer server = NostrP2PServer.builder().publicKey(key.publicKey()).listen("127.0.0.1", 0)
                .dataDirectory(dir.resolve("data")).build();
        server.start();
        try {
            Run wrong = run("post", "--server", server.restUrl(), "--key-file", keyFile.toString(),
                    "--passphrase-file", passphrase("wrong").toString(), "hello");
            Run right = run("post", "--server", server.restUrl(), "--key-file", keyFile.toString(),
                    "--passphrase-file", passphrase("right").toString(), "hello");

            assertEquals(2, wrong.exitCode());
            assertTrue(wrong.err().contains("Wrong passphrase for the key file"), wrong.err());
            assertEquals(0, right.exitCode(), right.err());
            assertTrue(right.out().startsWith("Posted: "), right.out());
        } finally {
            server.stop();
        }
    }
}
