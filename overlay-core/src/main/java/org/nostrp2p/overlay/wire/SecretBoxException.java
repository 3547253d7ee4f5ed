package org.nostrp2p.overlay.wire;

/**
 * A frame on an encrypted connection did not authenticate, so nothing of it was delivered
 * and the connection is closed. {@link #kind()} says what most likely happened; the message
 * says it in an operator's words.
 */
public final class SecretBoxException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** What a frame that failed authentication turned out to be. */
    public enum Kind {
        /** The first frame failed: the remote peer derived another session key, i.e. has another password. */
        WRONG_PASSWORD,
        /** The frame authenticates as one already received: a replay. */
        REPLAYED,
        /** The frame authenticates as one due later: frames were dropped or reordered. */
        REORDERED,
        /** The frame authenticates as nothing this connection expects: altered or forged. */
        FORGED
    }

    private final Kind kind;
    private final long sequenceNumber;

    /**
     * @param kind           what happened
     * @param sequenceNumber the number the failing frame was expected to carry
     * @param message        what happened, in an operator's words
     */
    public SecretBoxException(Kind kind, long sequenceNumber, String message) {
        super(message);
        this.kind = kind;
        this.sequenceNumber = sequenceNumber;
    }

    /** @return what happened */
    public Kind kind() {
        return kind;
    }

    /** @return the sequence number the failing frame was expected to carry (0 for the first) */
    public long sequenceNumber() {
        return sequenceNumber;
    }
}
