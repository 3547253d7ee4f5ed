package org.nostrp2p.model;

import java.util.HexFormat;

/**
 * Hexadecimal text of keys, ids and signatures, with errors that say what was expected.
 * Nostr writes hex in lowercase; decoding accepts either case. Thread-safe; stateless.
 */
public final class Hex {
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    /** @return {@code bytes} as lowercase hex characters */
    public static String encode(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }

    /**
     * @param text  the hex text
     * @param bytes how many bytes it must hold
     * @param what  what the value is, for the error message ("public key", "event id", ...)
     * @return the decoded bytes
     * @throws IllegalArgumentException when {@code text} is null, not {@code 2 * bytes} characters
     *     long or not hexadecimal
     */
    public static byte[] decode(String text, int bytes, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + ": expected " + 2 * bytes + " hex characters, got null");
        }
        if (text.length() != 2 * bytes) {
            throw new IllegalArgumentException(what + ": expected " + 2 * bytes + " hex characters, got "
                    + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(what + ": expected hex characters, got '" + text.charAt(i)
                        + "' at position " + i);
            }
        }
        return LOWER.parseHex(text);
    }

    /** @return whether {@code text} is exactly {@code 2 * bytes} hex characters */
    public static boolean isHex(String text, int bytes) {
        if (text == null || text.length() != 2 * bytes) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
