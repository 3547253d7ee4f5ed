package org.nostrp2p.store;

import java.sql.SQLException;

/** Turns SQLite's failures into {@link StoreException}s that name the file and say what it means. */
final class Failures {

    // SQLite primary result codes (the low byte of an extended code).
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;

    private Failures() {
    }

    /**
     * @param label  the database file (or {@code :memory:})
     * @param action what the store was doing, e.g. "opening", "reading"
     */
    static StoreException wrap(String label, String action, SQLException e) {
        String meaning = switch (e.getErrorCode() & 0xFF) {
            case SQLITE_BUSY, SQLITE_LOCKED -> label + " is locked by another process";
            case SQLITE_CORRUPT, SQLITE_NOTADB -> label + " is corrupt or not an SQLite database";
            case SQLITE_FULL -> "the disk holding " + label + " is full";
            case SQLITE_IOERR -> "an I/O error on " + label;
            case SQLITE_READONLY -> label + " is read-only";
            case SQLITE_CANTOPEN -> label + " cannot be opened";
            default -> action + " " + label + " failed";
        };
        return new StoreException(meaning + " (while " + action + "): " + e.getMessage(), e);
    }

    static boolean isCorruption(SQLException e) {
        int code = e.getErrorCode() & 0xFF;
        return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
    }
}
