package org.nostrp2p.store;

/** The store failed: the database is corrupt, locked, of a newer schema, or an I/O failed. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
