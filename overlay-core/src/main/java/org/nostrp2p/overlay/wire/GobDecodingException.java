package org.nostrp2p.overlay.wire;

/**
 * Bytes that are not the gob value a mesh peer should have sent: truncated, malformed, of
 * another type, or beyond a limit. The message says what was expected and what came.
 *
 * <p>The only exception {@link WireCodec}'s decoders throw; a connection handler catches it
 * and closes that one connection.
 */
public final class GobDecodingException extends RuntimeException {

    /**
     * @param message what was expected and what came
     */
    public GobDecodingException(String message) {
        super(message);
    }
}
