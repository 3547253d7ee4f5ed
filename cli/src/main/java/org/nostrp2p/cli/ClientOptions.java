package org.nostrp2p.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.nostrp2p.model.crypto.Nip49;
import org.nostrp2p.model.crypto.SecretKey;
import picocli.CommandLine.Option;

/**
 * The options every client command shares: which server, and where the secret key comes from
 * ({@code --nsec}, else {@code NOSTRP2P_NSEC}, else the key file). Picocli mixes it in.
 */
final class ClientOptions {

    /** The environment variable holding the secret key when --nsec is not given. */
    static final String NSEC_VARIABLE = "NOSTRP2P_NSEC";

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:20001",
            description = "Your server's REST API (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--nsec", paramLabel = "nsec|hex",
            description = "Your secret key. Visible to other local users in the process list: prefer a key file or "
                    + NSEC_VARIABLE + ".")
    String nsec;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Your key file made by `genkey --save` (default: ~/.nostrp2p/key.ncryptsec).")
    Path keyFile;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the key file's passphrase from this file's first line instead of asking.")
    Path passphraseFile;

    /** Where the environment comes from (tests replace it). */
    UnaryOperator<String> environment = System::getenv;

    /** The key file used when none is named (tests replace it, so a developer's own key file is never touched). */
    Supplier<Path> defaultKeyFile = KeyFile::defaultPath;

    /**
     * @return the user's secret key
     * @throws UserError with what to do when there is none or it cannot be opened
     */
    SecretKey secretKey() {
        String text = nsec != null ? nsec : environment.apply(NSEC_VARIABLE);
        if (text != null && !text.isBlank()) {
            try {
                return SecretKey.parse(text.trim());
            } catch (IllegalArgumentException e) {
                throw new UserError("The secret key is not usable: " + e.getMessage());
            }
        }
        Path file = keyFile != null ? keyFile : defaultKeyFile.get();
        if (!Files.exists(file)) {
            throw new UserError("No secret key: give --key-file, set " + NSEC_VARIABLE + " or --nsec "
                    + "(make a key file with: nostrp2p genkey --save)." + (keyFile != null ? " " + file + " does not exist." : ""));
        }
        try {
            return KeyFile.read(file, KeyFile.PassphraseSource.of(passphraseFile));
        } catch (Nip49.WrongPassphraseException e) {
            throw new UserError("Wrong passphrase for the key file " + file + ".");
        } catch (IOException e) {
            throw new UserError("Cannot read the key file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError("The key file " + file + " is not usable: " + e.getMessage());
        }
    }

    /** A failure the user can act on: the command prints the message and exits with {@link #exitCode}. */
    static final class UserError extends RuntimeException {
        final int exitCode;

        UserError(String message) {
            this(message, 2);
        }

        UserError(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }
}
