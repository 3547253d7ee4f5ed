package org.nostrp2p.model.codec;

/**
 * Input that a codec cannot decode: malformed MessagePack or JSON, a value of the wrong type
 * or size, a length beyond the input. The message says what was expected and what came.
 */
public class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
