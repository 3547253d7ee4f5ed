package org.nostrp2p.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import org.nostrp2p.model.crypto.Schnorr;
import org.nostrp2p.model.crypto.SecretKey;

/** Creating, identifying and verifying NIP-01 events. Thread-safe; no I/O. */
public final class Events {
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    private Events() {
    }

    /**
     * The NIP-01 id: sha256 of the UTF-8 bytes of {@code [0,pubkey,created_at,kind,tags,content]}
     * serialized with NIP-01's escaping rules.
     */
    public static byte[] computeId(byte[] pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        return SHA256.get().digest(serializeForId(pubkey, createdAt, kind, tags, content));
    }

    /**
     * The exact text NIP-01 hashes: no whitespace; in strings only {@code "}, {@code \},
     * line feed, carriage return, tab, backspace and form feed get their two-character escapes,
     * the other characters below U+0020 are written {@code \}{@code u00xx} (lowercase hex), a lone
     * surrogate {@code \}{@code udxxx} (as JavaScript's {@code JSON.stringify} writes it) and
     * everything else is raw UTF-8.
     *
     * @return the UTF-8 bytes of the serialization
     */
    public static byte[] serializeForId(byte[] pubkey, long createdAt, int kind, List<List<String>> tags,
                                        String content) {
        Objects.requireNonNull(pubkey, "pubkey");
        Objects.requireNonNull(content, "content");
        var text = new StringBuilder(160 + content.length());
        text.append("[0,\"");
        for (byte b : pubkey) {
            text.append(HEX_DIGITS[(b >>> 4) & 0xf]).append(HEX_DIGITS[b & 0xf]);
        }
        text.append("\",").append(createdAt).append(',').append(kind).append(",[");
        if (tags != null) {
            for (int i = 0; i < tags.size(); i++) {
                if (i > 0) {
                    text.append(',');
                }
                text.append('[');
                List<String> tag = tags.get(i);
                for (int j = 0; j < tag.size(); j++) {
                    if (j > 0) {
                        text.append(',');
                    }
                    appendString(text, tag.get(j));
                }
                text.append(']');
            }
        }
        text.append("],");
        appendString(text, content);
        text.append(']');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @return a new event signed by {@code key} */
    public static Event sign(SecretKey key, long createdAt, int kind, List<List<String>> tags, String content) {
        Objects.requireNonNull(key, "key");
        byte[] pubkey = key.publicKey().bytes();
        byte[] id = computeId(pubkey, createdAt, kind, tags, content);
        return new Event(id, pubkey, createdAt, kind, tags, content, key.sign(id));
    }

    /** @return whether the id is the hash of the event (the signature is not looked at) */
    public static boolean hasValidId(Event event) {
        byte[] expected = computeId(event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content());
        return MessageDigest.isEqual(expected, event.id());
    }

    /** @return whether the id is the hash of the event and the signature is valid (false when stripped) */
    public static boolean verify(Event event) {
        byte[] sig = event.sig();
        if (sig == null) {
            return false;
        }
        byte[] id = event.id();
        byte[] pubkey = event.pubkey();
        byte[] expected = computeId(pubkey, event.createdAt(), event.kind(), event.tags(), event.content());
        return MessageDigest.isEqual(expected, id) && Schnorr.verify(sig, id, pubkey);
    }

    private static void appendString(StringBuilder text, String value) {
        text.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                default -> {
                    if (c < 0x20) {
                        appendUnicodeEscape(text, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                            text.append(c).append(value.charAt(++i));
                        } else {
                            appendUnicodeEscape(text, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        appendUnicodeEscape(text, c);
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }

    private static void appendUnicodeEscape(StringBuilder text, char c) {
        text.append("\\u")
                .append(HEX_DIGITS[(c >>> 12) & 0xf]).append(HEX_DIGITS[(c >>> 8) & 0xf])
                .append(HEX_DIGITS[(c >>> 4) & 0xf]).append(HEX_DIGITS[c & 0xf]);
    }
}
