package org.nostrp2p.model;

import java.util.Arrays;
import java.util.List;

/**
 * Writes NIP-01's {@code [0,pubkey,created_at,kind,tags,content]} straight to UTF-8 bytes:
 * no whitespace; in strings only {@code "}, {@code \}, line feed, carriage return, tab,
 * backspace and form feed get their two-character escapes, the other characters below U+0020
 * are written {@code \}{@code u00xx} (lowercase hex), a lone surrogate {@code \}{@code udxxx}
 * (as JavaScript's {@code JSON.stringify} writes it) and everything else is raw UTF-8.
 * One instance per serialization; not thread-safe.
 */
final class IdSerialization {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buffer;
    private int length;

    private IdSerialization(int capacity) {
        buffer = new byte[capacity];
    }

    static IdSerialization of(byte[] pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        var out = new IdSerialization(128 + content.length() + 64 * (tags == null ? 0 : tags.size()));
        out.ascii("[0,\"");
        for (byte b : pubkey) {
            out.put(HEX_DIGITS[(b >>> 4) & 0xf]);
            out.put(HEX_DIGITS[b & 0xf]);
        }
        out.ascii("\",").ascii(Long.toString(createdAt)).put((byte) ',').ascii(Integer.toString(kind)).ascii(",[");
        if (tags != null) {
            for (int i = 0; i < tags.size(); i++) {
                if (i > 0) {
                    out.put((byte) ',');
                }
                out.put((byte) '[');
                List<String> tag = tags.get(i);
                for (int j = 0; j < tag.size(); j++) {
                    if (j > 0) {
                        out.put((byte) ',');
                    }
                    out.string(tag.get(j));
                }
                out.put((byte) ']');
            }
        }
        out.ascii("],").string(content).put((byte) ']');
        return out;
    }

    byte[] buffer() {
        return buffer;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    private IdSerialization string(String value) {
        put((byte) '"');
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    put((byte) '\\');
                }
                put((byte) c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\n' -> ascii("\\n");
                    case '\r' -> ascii("\\r");
                    case '\t' -> ascii("\\t");
                    case '\b' -> ascii("\\b");
                    case '\f' -> ascii("\\f");
                    default -> unicodeEscape(c);
                }
            } else if (c < 0x800) {
                put((byte) (0xc0 | (c >>> 6)));
                put((byte) (0x80 | (c & 0x3f)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                put((byte) (0xf0 | (codePoint >>> 18)));
                put((byte) (0x80 | ((codePoint >>> 12) & 0x3f)));
                put((byte) (0x80 | ((codePoint >>> 6) & 0x3f)));
                put((byte) (0x80 | (codePoint & 0x3f)));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                put((byte) (0xe0 | (c >>> 12)));
                put((byte) (0x80 | ((c >>> 6) & 0x3f)));
                put((byte) (0x80 | (c & 0x3f)));
            }
        }
        put((byte) '"');
        return this;
    }

    private void unicodeEscape(char c) {
        ascii("\\u");
        put(HEX_DIGITS[(c >>> 12) & 0xf]);
        put(HEX_DIGITS[(c >>> 8) & 0xf]);
        put(HEX_DIGITS[(c >>> 4) & 0xf]);
        put(HEX_DIGITS[c & 0xf]);
    }

    private IdSerialization ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            put((byte) text.charAt(i));
        }
        return this;
    }

    private IdSerialization put(byte b) {
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[length++] = b;
        return this;
    }
}
