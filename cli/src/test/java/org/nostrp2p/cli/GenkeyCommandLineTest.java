package org.nostrp2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.crypto.PublicKey;
import org.nostrp2p.model.crypto.SecretKey;
import picocli.CommandLine;

/** {@code nostrp2p genkey} prints what the Go command prints; the command line behaves as a CLI should. */
class GenkeyCommandLineTest {
    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine commandLine = Main.commandLine();
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void genkeyPrintsTheGoCommandsLinesForAFixedKey() {
        var out = new StringWriter();
        GenkeyCommand.print(SecretKey.parse("67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa"),
                new PrintWriter(out));
        assertEquals("""
                Secret Key:
                nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5
                Secret Key (In Hex Representation):\s
                67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa
                Public Key:
                npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg
                Public key (In Hex Representation):\s
                7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e

                Please keep the secret key secret.
                The key is used only at NostrP2P client as your identity.
                """, out.toString());
    }

    @Test
    void genkeyMakesAFreshConsistentKeyPairEachRun() {
        Run first = run("genkey");
        Run second = run("genkey");
        assertEquals(0, first.exitCode());
        assertEquals("", first.err());
        List<String> lines = first.out().lines().toList();
        assertEquals(11, lines.size());
        SecretKey fromNsec = SecretKey.parse(lines.get(1));
        assertEquals(fromNsec.toHex(), lines.get(3));
        PublicKey fromNpub = PublicKey.parse(lines.get(5));
        assertEquals(fromNsec.publicKey(), fromNpub);
        assertEquals(fromNpub.toHex(), lines.get(7));
        assertNotEquals(first.out(), second.out());
    }

    @Test
    void helpListsGenkeyAndExitsZero() {
        Run help = run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("Usage: nostrp2p"), help.out());
        assertTrue(help.out().matches("(?s).*genkey +Generate new key pair\\..*"), help.out());
    }

    @Test
    void noSubcommandShowsTheUsage() {
        Run bare = run();
        assertEquals(0, bare.exitCode());
        assertTrue(bare.out().startsWith("Usage: nostrp2p"), bare.out());
    }

    @Test
    void versionNamesTheBuildsVersion() {
        Run version = run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().matches("nostrp2p \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), version.out());
    }

    @Test
    void anUnknownOptionPrintsUsageToStderrAndExitsTwo() {
        Run unknown = run("--frobnicate");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("Unknown option: '--frobnicate'"), unknown.err());
        assertTrue(unknown.err().contains("Usage: nostrp2p"), unknown.err());
        assertEquals("", unknown.out());
    }

    @Test
    void anUnknownOptionOfGenkeyExitsTwo() {
        assertEquals(2, run("genkey", "-x").exitCode());
    }
}
