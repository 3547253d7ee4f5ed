package org.nostrp2p.model.nip19;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * NIP-19 bech32 forms of keys and ids: {@code npub}, {@code nsec}, {@code note}, and the TLV
 * forms {@code nprofile} and {@code nevent}. These are for people (display, copy and paste);
 * events and filters carry hex.
 *
 * <p>Every decoder throws {@link IllegalArgumentException} with a message naming the problem
 * (bad checksum, wrong prefix, wrong length, truncated TLV). Thread-safe; stateless.
 */
public final class Nip19 {
    /** Prefix of a public key. */
    public static final String NPUB = "npub";
    /** Prefix of a secret key. */
    public static final String NSEC = "nsec";
    /** Prefix of an event id. */
    public static final String NOTE = "note";
    /** Prefix of a profile pointer (TLV). */
    public static final String NPROFILE = "nprofile";
    /** Prefix of an event pointer (TLV). */
    public static final String NEVENT = "nevent";
    /** The prefix of a NIP-49 password-encrypted secret key. */
    public static final String NCRYPTSEC = "ncryptsec";

    private static final int TLV_SPECIAL = 0;
    private static final int TLV_RELAY = 1;
    private static final int TLV_AUTHOR = 2;
    private static final int TLV_KIND = 3;

    private Nip19() {
    }

    /** @return {@code npub1...} for a 32-byte public key */
    public static String encodeNpub(byte[] pubkey) {
        return encode32(NPUB, pubkey);
    }

    /** @return {@code nsec1...} for a 32-byte secret key */
    public static String encodeNsec(byte[] secretKey) {
        return encode32(NSEC, secretKey);
    }

    /** @return {@code note1...} for a 32-byte event id */
    public static String encodeNote(byte[] eventId) {
        return encode32(NOTE, eventId);
    }

    /** @return the 32 bytes of an {@code npub1...} */
    public static byte[] decodeNpub(String text) {
        return decode32(NPUB, text);
    }

    /** @return the 32 bytes of an {@code nsec1...} */
    public static byte[] decodeNsec(String text) {
        return decode32(NSEC, text);
    }

    /** @return the 32 bytes of a {@code note1...} */
    public static byte[] decodeNote(String text) {
        return decode32(NOTE, text);
    }

    /** @return {@code nprofile1...} for a profile pointer */
    public static String encodeNprofile(ProfilePointer profile) {
        var tlv = new ByteArrayOutputStream();
        writeTlv(tlv, TLV_SPECIAL, profile.pubkey());
        for (String relay : profile.relays()) {
            writeTlv(tlv, TLV_RELAY, relay.getBytes(StandardCharsets.UTF_8));
        }
        return Bech32.encode(NPROFILE, tlv.toByteArray());
    }

    /** @return {@code nevent1...} for an event pointer */
    public static String encodeNevent(EventPointer event) {
        var tlv = new ByteArrayOutputStream();
        writeTlv(tlv, TLV_SPECIAL, event.id());
        for (String relay : event.relays()) {
            writeTlv(tlv, TLV_RELAY, relay.getBytes(StandardCharsets.UTF_8));
        }
        if (event.author() != null) {
            writeTlv(tlv, TLV_AUTHOR, event.author());
        }
        if (event.kind() != null) {
            long kind = event.kind();
            writeTlv(tlv, TLV_KIND, new byte[] {(byte) (kind >>> 24), (byte) (kind >>> 16), (byte) (kind >>> 8),
                (byte) kind});
        }
        return Bech32.encode(NEVENT, tlv.toByteArray());
    }

    /**
     * @param text {@code nprofile1...}
     * @return the public key and relays it names; unknown TLV types are ignored, as NIP-19 says
     */
    public static ProfilePointer decodeNprofile(String text) {
        byte[] data = decodeWithPrefix(NPROFILE, text);
        byte[] pubkey = null;
        List<String> relays = new ArrayList<>();
        int position = 0;
        while (position < data.length) {
            int[] entry = readTlvHeader(NPROFILE, data, position);
            int type = entry[0];
            int length = entry[1];
            int start = position + 2;
            if (type == TLV_SPECIAL) {
                pubkey = requireLength(NPROFILE, "public key", data, start, length, 32);
            } else if (type == TLV_RELAY) {
                relays.add(new String(data, start, length, StandardCharsets.UTF_8));
            }
            position = start + length;
        }
        if (pubkey == null) {
            throw new IllegalArgumentException("nprofile: no public key (TLV type 0)");
        }
        return new ProfilePointer(pubkey, relays);
    }

    /**
     * @param text {@code nevent1...}
     * @return the event id, relays, author and kind it names; unknown TLV types are ignored
     */
    public static EventPointer decodeNevent(String text) {
        byte[] data = decodeWithPrefix(NEVENT, text);
        byte[] id = null;
        byte[] author = null;
        Long kind = null;
        List<String> relays = new ArrayList<>();
        int position = 0;
        while (position < data.length) {
            int[] entry = readTlvHeader(NEVENT, data, position);
            int type = entry[0];
            int length = entry[1];
            int start = position + 2;
            switch (type) {
                case TLV_SPECIAL -> id = requireLength(NEVENT, "event id", data, start, length, 32);
                case TLV_RELAY -> relays.add(new String(data, start, length, StandardCharsets.UTF_8));
                case TLV_AUTHOR -> author = requireLength(NEVENT, "author", data, start, length, 32);
                case TLV_KIND -> {
                    byte[] k = requireLength(NEVENT, "kind", data, start, length, 4);
                    kind = ((k[0] & 0xffL) << 24) | ((k[1] & 0xffL) << 16) | ((k[2] & 0xffL) << 8) | (k[3] & 0xffL);
                }
                default -> {
                    // NIP-19: unknown TLV types are skipped.
                }
            }
            position = start + length;
        }
        if (id == null) {
            throw new IllegalArgumentException("nevent: no event id (TLV type 0)");
        }
        return new EventPointer(id, relays, author, kind);
    }

    /**
     * Encodes a NIP-49 encrypted secret key (the 91 bytes {@code Nip49} makes) as {@code ncryptsec1...}.
     *
     * @param data the encrypted key's bytes
     * @return the bech32 text
     */
    public static String encodeNcryptsec(byte[] data) {
        return Bech32.encode(NCRYPTSEC, data);
    }

    /**
     * @param text {@code ncryptsec1...}
     * @return the encrypted key's bytes (not yet checked for length or version)
     * @throws IllegalArgumentException when the text is not bech32 or has another prefix
     */
    public static byte[] decodeNcryptsec(String text) {
        return decodeWithPrefix(NCRYPTSEC, text);
    }

    private static String encode32(String prefix, byte[] bytes) {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException(prefix + ": expected 32 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return Bech32.encode(prefix, bytes);
    }

    private static byte[] decode32(String prefix, String text) {
        byte[] data = decodeWithPrefix(prefix, text);
        if (data.length != 32) {
            throw new IllegalArgumentException(prefix + ": expected 32 bytes of data, got " + data.length);
        }
        return data;
    }

    private static byte[] decodeWithPrefix(String prefix, String text) {
        Bech32.Decoded decoded;
        try {
            decoded = Bech32.decode(text == null ? null : text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ": " + e.getMessage(), e);
        }
        if (!decoded.hrp().equals(prefix)) {
            throw new IllegalArgumentException(prefix + ": expected the prefix '" + prefix + "', got '"
                    + decoded.hrp() + "'");
        }
        return decoded.data();
    }

    private static int[] readTlvHeader(String prefix, byte[] data, int position) {
        if (position + 2 > data.length) {
            throw new IllegalArgumentException(prefix + ": truncated TLV entry at byte " + position);
        }
        int type = data[position] & 0xff;
        int length = data[position + 1] & 0xff;
        if (position + 2 + length > data.length) {
            throw new IllegalArgumentException(prefix + ": TLV entry of type " + type + " claims " + length
                    + " bytes, only " + (data.length - position - 2) + " remain");
        }
        return new int[] {type, length};
    }

    private static byte[] requireLength(String prefix, String what, byte[] data, int start, int length, int expected) {
        if (length != expected) {
            throw new IllegalArgumentException(prefix + ": " + what + " must be " + expected + " bytes, got " + length);
        }
        return java.util.Arrays.copyOfRange(data, start, start + length);
    }

    private static void writeTlv(ByteArrayOutputStream out, int type, byte[] value) {
        if (value.length > 255) {
            throw new IllegalArgumentException("TLV value of type " + type + " is " + value.length
                    + " bytes, more than 255");
        }
        out.write(type);
        out.write(value.length);
        out.writeBytes(value);
    }
}
