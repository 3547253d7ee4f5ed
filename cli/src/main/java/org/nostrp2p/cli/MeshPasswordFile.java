package org.nostrp2p.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads the mesh password of {@code serve --password-file}: the file's bytes, less one
 * trailing line ending ({@code \n} or {@code \r\n}) so that a file written by an editor or
 * {@code echo} holds the password an operator typed. The password never appears on the
 * command line, where other users could see it in the process list.
 */
final class MeshPasswordFile {

    /** Larger files are refused: a password file holding a whole file by mistake is a mistake. */
    static final int MAX_BYTES = 4096;

    private MeshPasswordFile() {
    }

    /**
     * @return the password
     * @throws IllegalArgumentException when the file cannot be read, is empty (after the line
     *     ending) or is larger than {@value #MAX_BYTES} bytes, with a message for the operator
     */
    static byte[] read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("The mesh password file " + file + " has more than " + MAX_BYTES
                        + " bytes; it should hold only the password.");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the mesh password file " + file + ": " + e.getMessage());
        }
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n') {
            length--;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
        }
        if (length == 0) {
            throw new IllegalArgumentException("The mesh password file " + file + " is empty.");
        }
        return Arrays.copyOf(bytes, length);
    }

    /** @return whether users other than the owner may read the file (false where POSIX permissions are unknown) */
    static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
