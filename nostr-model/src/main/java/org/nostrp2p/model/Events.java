package org.nostrp2p.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nostrp2p.model.crypto.Schnorr;
import org.nostrp2p.model.crypto.SecretKey;

/** Creating, identifying and verifying NIP-01 events. Thread-safe; no I/O. */
public final class Events {
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
        IdSerialization serialization = serialization(pubkey, createdAt, kind, tags, content);
        MessageDigest sha256 = SHA256.get();
        sha256.update(serialization.buffer(), 0, serialization.length());
        return sha256.digest();
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
        return serialization(pubkey, createdAt, kind, tags, content).toByteArray();
    }

    private static IdSerialization serialization(byte[] pubkey, long createdAt, int kind, List<List<String>> tags,
                                                 String content) {
        Objects.requireNonNull(pubkey, "pubkey");
        Objects.requireNonNull(content, "content");
        return IdSerialization.of(pubkey, createdAt, kind, tags, content);
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

    /**
     * The users an event names in {@code p} tags whose value is 64 hex characters, lowercased,
     * in tag order, its author excluded: whom a reply, mention or like is addressed to.
     */
    public static Set<String> taggedUsers(Event event) {
        Set<String> users = new LinkedHashSet<>();
        String author = event.pubkeyHex();
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).equals("p") && isHex64(tag.get(1))) {
                String user = tag.get(1).toLowerCase(java.util.Locale.ROOT);
                if (!user.equals(author)) {
                    users.add(user);
                }
            }
        }
        return users;
    }

    /** @return whether {@code text} is 64 hex characters, either case */
    public static boolean isHex64(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
