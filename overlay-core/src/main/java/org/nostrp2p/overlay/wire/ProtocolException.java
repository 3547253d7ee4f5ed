package org.nostrp2p.overlay.wire;

/**
 * A peer broke the mesh protocol: a bad header, an unsupported version, an encryption flag
 * this peer cannot honour, a frame over the size limit, a missing feature. The connection it
 * came on is closed; its message says what was expected and what came.
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected and what came */
    public ProtocolException(String message) {
        super(message);
    }
}
