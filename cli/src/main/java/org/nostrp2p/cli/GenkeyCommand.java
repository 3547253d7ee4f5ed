package org.nostrp2p.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.nostrp2p.model.crypto.PublicKey;
import org.nostrp2p.model.crypto.SecretKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nostrp2p genkey}: makes a new key pair and prints it with exactly the lines of the Go
 * command (including the trailing space of its two hex headings), so scripts written for one
 * work with the other.
 */
@Command(name = "genkey", mixinStandardHelpOptions = true,
        description = "Generate new key pair.")
final class GenkeyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        print(SecretKey.generate(), spec.commandLine().getOut());
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
