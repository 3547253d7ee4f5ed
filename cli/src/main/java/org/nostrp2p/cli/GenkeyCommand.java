package org.nostrp2p.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nostrp2p.model.crypto.Nip49;
import org.nostrp2p.model.crypto.PublicKey;
import org.nostrp2p.model.crypto.SecretKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostrp2p genkey}: makes a new key pair and prints it with exactly the lines of the Go
 * command (including the trailing space of its two hex headings), so scripts written for one
 * work with the other. With {@code --save [FILE]} it prints no secret: it writes the secret key
 * encrypted with a passphrase (NIP-49 {@code ncryptsec}, file mode 0600) and prints the public key.
 */
@Command(name = "genkey", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate new key pair.")
final class GenkeyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--save", arity = "0..1", paramLabel = "FILE", fallbackValue = "",
            description = "Write the secret key encrypted with a passphrase (NIP-49) to FILE "
                    + "(default ~/.nostrp2p/key.ncryptsec) instead of printing it.")
    String save;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the passphrase from this file's first line instead of asking twice.")
    Path passphraseFile;

    /** scrypt's cost as a power of two; hidden: lowering it weakens the file, tests use it to run fast. */
    @Option(names = "--scrypt-log-n", hidden = true, defaultValue = "" + Nip49.DEFAULT_LOG_N)
    int scryptLogN;

    @Override
    public Integer call() {
        SecretKey key = SecretKey.generate();
        PrintWriter out = spec.commandLine().getOut();
        if (save == null) {
            print(key, out);
            return 0;
        }
        Path file = save.isEmpty() ? KeyFile.defaultPath() : Path.of(save);
        PrintWriter err = spec.commandLine().getErr();
        try {
            String passphrase = KeyFile.PassphraseSource.of(passphraseFile).ask("Passphrase for the new key file: ", true);
            KeyFile.write(file, key, passphrase, scryptLogN);
        } catch (IOException | IllegalStateException e) {
            err.println("No key file written: " + e.getMessage());
            err.flush();
            return 1;
        }
        PublicKey publicKey = key.publicKey();
        out.print("Key file (secret key encrypted, NIP-49):\n" + file + "\n"
                + "Public Key:\n" + publicKey.toNpub() + "\n"
                + "Public key (In Hex Representation): \n" + publicKey.toHex() + "\n\n"
                + "Run your server with: nostrp2p serve -p " + publicKey.toNpub() + "\n");
        out.flush();
        return 0;
    }

    static void print(SecretKey secretKey, PrintWriter out) {
        PublicKey publicKey = secretKey.publicKey();
        out.print("Secret Key:\n"
                + secretKey.toNsec() + "\n"
                + "Secret Key (In Hex Representation): \n"
                + secretKey.toHex() + "\n"
                + "Public Key:\n"
                + publicKey.toNpub() + "\n"
                + "Public key (In Hex Representation): \n"
                + publicKey.toHex() + "\n"
                + "\n"
                + "Please keep the secret key secret.\n"
                + "The key is used only at NostrP2P client as your identity.\n");
        out.flush();
    }
}
