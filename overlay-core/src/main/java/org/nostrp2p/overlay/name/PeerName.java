package org.nostrp2p.overlay.name;

/**
 * A peer's name in mesh's {@code mac} flavour: 48 bits, written {@code aa:bb:cc:dd:ee:ff}.
 *
 * <p>Immutable value. Ordered as mesh orders names (numerically, which for the {@code mac}
 * flavour is the same as comparing the text).
 *
 * @param value the 48-bit name in the low bits of a long
 */
public record PeerName(long value) implements Comparable<PeerName> {

    /** The number of bytes of a name on the wire ({@code NameByte} in topology gossip). */
    public static final int BYTES = 6;

    /** Mesh's {@code UnknownPeerName}: zero, never a real peer. */
    public static final PeerName UNKNOWN = new PeerName(0);

    // Names recently made by of(), one per slot (a newer name takes a taken slot): bounded
    // whatever names arrive, and racy reads are safe, as a PeerName is immutable.
    private static final int CACHE_SLOTS = 4096;
    private static final PeerName[] CACHE = new PeerName[CACHE_SLOTS];

    public PeerName {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a peer name has 48 bits, got 0x" + Long.toHexString(value));
        }
    }

    /**
     * The name of this value, often an instance made before: decoders call it for every name
     * they read, and a router that holds a 500-peer topology then holds a few hundred name
     * objects instead of two million (one per link of every peer's entry, of every version
     * decoded), which the garbage collector no longer copies. Equal to
     * {@code new PeerName(value)} in every way but identity.
     *
     * @param value the 48-bit name in the low bits of a long
     * @return the name
     * @throws IllegalArgumentException when {@code value} has more than 48 bits
     */
    public static PeerName of(long value) {
        int slot = (int) ((value * 0x9E3779B97F4A7C15L) >>> 52); // 12 bits: CACHE_SLOTS
        PeerName cached = CACHE[slot];
        if (cached != null && cached.value == value) {
            return cached;
        }
        PeerName name = new PeerName(value);
        CACHE[slot] = name;
        return name;
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (mesh's {@code PeerNameFromString}).
     *
     * @param text six two-digit hex groups separated by colons
     * @return the name
     * @throws IllegalArgumentException when the text is not such a name
     */
    public static PeerName parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != BYTES) {
            throw new IllegalArgumentException("a peer name is six hex bytes like aa:bb:cc:dd:ee:ff, got '" + text + "'");
        }
        long v = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new IllegalArgumentException("a peer name is six hex bytes like aa:bb:cc:dd:ee:ff, got '" + text + "'");
            }
            try {
                v = (v << 8) | Integer.parseInt(part, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a peer name is six hex bytes like aa:bb:cc:dd:ee:ff, got '" + text + "'");
            }
        }
        return new PeerName(v);
    }

    /**
     * @param bytes six bytes, most significant first (gob {@code NameByte})
     * @return the name
     */
    public static PeerName fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a peer name is 6 bytes, got " + bytes.length);
        }
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return of(v);
    }

    /**
     * The name whose bytes are the last six of {@code key}, as NostrP2P derives a server's
     * peer name from its user's public key.
     *
     * @param key at least six bytes
     * @return the name
     */
    public static PeerName fromLastBytes(byte[] key) {
        if (key.length < BYTES) {
            throw new IllegalArgumentException("need at least 6 bytes, got " + key.length);
        }
        byte[] tail = new byte[BYTES];
        System.arraycopy(key, key.length - BYTES, tail, 0, BYTES);
        return fromBytes(tail);
    }

    /** @return the six bytes, most significant first */
    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            out[i] = (byte) (value >>> (8 * (BYTES - 1 - i)));
        }
        return out;
    }

    @Override
    public int compareTo(PeerName other) {
        return Long.compare(value, other.value);
    }

    // Written out rather than left to the record: names are hashed in every route walk and
    // topology update, and the record's generated methods are slow until the JIT inlines them.
    @Override
    public boolean equals(Object other) {
        return other instanceof PeerName name && name.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value * 0x9E3779B97F4A7C15L);
    }

    @Override
    public String toString() {
        char[] text = new char[BYTES * 3 - 1];
        for (int i = 0; i < BYTES; i++) {
            int b = (int) (value >>> (8 * (BYTES - 1 - i))) & 0xFF;
            if (i > 0) {
                text[i * 3 - 1] = ':';
            }
            text[i * 3] = HEX[b >>> 4];
            text[i * 3 + 1] = HEX[b & 0xF];
        }
        return new String(text);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
