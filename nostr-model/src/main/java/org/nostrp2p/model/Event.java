package org.nostrp2p.model;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A NIP-01 event: what a user signs and what servers store and relay.
 *
 * <p>Immutable. {@code id} and {@code pubkey} are 32 bytes, {@code sig} is 64 bytes or
 * {@code null} (servers strip signatures from what they send their own client). The byte
 * arrays are copied in and out, so an {@code Event} can be shared between threads.
 *
 * @param id        sha256 of the NIP-01 serialization, 32 bytes
 * @param pubkey    the author's x-only public key, 32 bytes
 * @param createdAt seconds since the Unix epoch
 * @param kind      the event kind (0 profile, 1 post, 3 follow list, 6 repost, 7 like, ...)
 * @param tags      the tags, each a list of strings (normally non-empty); {@code null} becomes empty
 * @param content   the content; never {@code null}
 * @param sig       the BIP-340 signature, 64 bytes, or {@code null} when stripped
 */
public record Event(byte[] id, byte[] pubkey, long createdAt, int kind,
                    List<List<String>> tags, String content, byte[] sig) {

    private static final HexFormat HEX = HexFormat.of();

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pubkey, "pubkey");
        Objects.requireNonNull(content, "content");
        if (id.length != 32) {
            throw new IllegalArgumentException("id must be 32 bytes, got " + id.length);
        }
        if (pubkey.length != 32) {
            throw new IllegalArgumentException("pubkey must be 32 bytes, got " + pubkey.length);
        }
        if (sig != null && sig.length != 64) {
            throw new IllegalArgumentException("sig must be 64 bytes or null, got " + sig.length);
        }
        if (kind < 0 || kind > 65535) {
            throw new IllegalArgumentException("kind must be in 0..65535, got " + kind);
        }
        id = id.clone();
        pubkey = pubkey.clone();
        sig = sig == null ? null : sig.clone();
        tags = tags == null ? List.of() : tags.stream().map(List::copyOf).toList();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public byte[] pubkey() {
        return pubkey.clone();
    }

    @Override
    public byte[] sig() {
        return sig == null ? null : sig.clone();
    }

    /** @return the id as 64 lowercase hex characters */
    public String idHex() {
        return HEX.formatHex(id);
    }

    /** @return the author's public key as 64 lowercase hex characters */
    public String pubkeyHex() {
        return HEX.formatHex(pubkey);
    }

    /** @return the signature as 128 lowercase hex characters, or {@code null} when stripped */
    public String sigHex() {
        return sig == null ? null : HEX.formatHex(sig);
    }

    /**
     * @return whether the id is the NIP-01 hash of this event and the signature is a valid
     *     BIP-340 signature of it by {@code pubkey}; false when the signature is stripped
     */
    public boolean verify() {
        return Events.verify(this);
    }

    /** @return this event without its signature, as a server answers its own client */
    public Event withoutSig() {
        return sig == null ? this : new Event(id, pubkey, createdAt, kind, tags, content, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e
                && Arrays.equals(id, e.id) && Arrays.equals(pubkey, e.pubkey)
                && createdAt == e.createdAt && kind == e.kind
                && tags.equals(e.tags) && content.equals(e.content) && Arrays.equals(sig, e.sig);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "Event[id=" + idHex() + ", pubkey=" + pubkeyHex() + ", createdAt=" + createdAt
                + ", kind=" + kind + ", tags=" + tags.size() + ", content=" + content.length() + " chars]";
    }
}
