package org.nostrp2p.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.nostrp2p.model.crypto.Nip49;
import org.nostrp2p.model.crypto.SecretKey;

/**
 * A key file: the user's secret key encrypted with a passphrase as NIP-49 {@code ncryptsec1...}
 * on one line, file mode 0600. The passphrase comes from a file ({@code --passphrase-file}, its
 * first line) or is asked on the terminal without echo.
 */
final class KeyFile {

    /** Where {@code genkey --save} writes and the client commands look when no key is given. */
    static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".nostrp2p", "key.ncryptsec");
    }

    private KeyFile() {
    }

    /**
     * Writes a new key file; never overwrites one.
     *
     * @throws IOException when the file exists or cannot be written (the message says which)
     */
    static void write(Path file, SecretKey key, String passphrase, int logN) throws IOException {
        String encrypted = Nip49.encrypt(key, passphrase, logN, Nip49.KEY_UNTRACKED);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                // A new directory for key files is private to the user too.
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(parent);
            }
        }
        byte[] content = (encrypted + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " already exists; move it away or name another file", e);
        }
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * @return the key in the file, decrypted with the passphrase
     * @throws IOException when the file cannot be read
     * @throws Nip49.WrongPassphraseException when the passphrase is wrong
     * @throws IllegalArgumentException when the file holds no usable key
     */
    static SecretKey read(Path file, PassphraseSource passphrases) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (Nip49.isEncrypted(text)) {
            return Nip49.decrypt(text, passphrases.ask("Passphrase for " + file + ": ", false));
        }
        // A key file written by hand with nsec or hex still works; genkey never writes one.
        return SecretKey.parse(text);
    }

    /** Where passphrases come from. */
    interface PassphraseSource {
        /**
         * @param prompt  what to ask
         * @param confirm whether to ask twice and require the same answer
         * @return the passphrase
         * @throws IllegalStateException when none can be had (no terminal and no file)
         */
        String ask(String prompt, boolean confirm) throws IOException;

        /** From a file's first line, or else the terminal without echo. */
        static PassphraseSource of(Path passphraseFile) {
            return (prompt, confirm) -> {
                if (passphraseFile != null) {
                    String first = Files.readAllLines(passphraseFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
                    if (first.isEmpty()) {
                        throw new IllegalStateException("the passphrase file " + passphraseFile + " is empty");
                    }
                    return first;
                }
                Console console = System.console();
                if (console == null) {
                    throw new IllegalStateException("no terminal to ask the passphrase on; give --passphrase-file FILE");
                }
                char[] first = console.readPassword("%s", prompt);
                if (first == null || first.length == 0) {
                    throw new IllegalStateException("no passphrase given");
                }
                if (confirm) {
                    char[] again = console.readPassword("%s", "Again: ");
                    boolean same = Arrays.equals(first, again);
                    if (again != null) {
                        Arrays.fill(again, ' ');
                    }
                    if (!same) {
                        Arrays.fill(first, ' ');
                        throw new IllegalStateException("the two passphrases differ; nothing was written");
                    }
                }
                String passphrase = new String(first);
                Arrays.fill(first, ' ');
                return passphrase;
            };
        }
    }
}
