package org.nostrp2p.model.nip19;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP-173, not bech32m) as NIP-19 uses it, without BIP-173's 90-character limit
 * (TLV entities are longer) but with {@link #MAX_LENGTH} so a decoder never works on
 * unbounded text.
 */
final class Bech32 {
    /** The longest bech32 text accepted, as common Nostr libraries allow. */
    static final int MAX_LENGTH = 5000;

    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] CHARSET_REV = new int[128];
    private static final int BECH32_CONST = 1;
    private static final int BECH32M_CONST = 0x2bc830a3;
    private static final int CHECKSUM_LENGTH = 6;

    static {
        java.util.Arrays.fill(CHARSET_REV, -1);
        for (int i = 0; i < CHARSET.length(); i++) {
            CHARSET_REV[CHARSET.charAt(i)] = i;
        }
    }

    /** A decoded bech32 string: its human-readable part (lowercase) and its 8-bit data. */
    record Decoded(String hrp, byte[] data) {
    }

    private Bech32() {
    }

    static String encode(String hrp, byte[] data) {
        byte[] values = convertBits(data, 8, 5, true);
        int[] checksum = checksum(hrp, values);
        var text = new StringBuilder(hrp.length() + 1 + values.length + CHECKSUM_LENGTH);
        text.append(hrp).append('1');
        for (byte value : values) {
            text.append(CHARSET.charAt(value));
        }
        for (int value : checksum) {
            text.append(CHARSET.charAt(value));
        }
        return text.toString();
    }

    static Decoded decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("bech32: expected text, got null");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("bech32: text is " + text.length()
                    + " characters, longer than the limit of " + MAX_LENGTH);
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126) {
                throw new IllegalArgumentException("bech32: invalid character at position " + i);
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new IllegalArgumentException("bech32: mixed upper and lower case");
        }
        String normalized = text.toLowerCase(Locale.ROOT);
        int separator = normalized.lastIndexOf('1');
        if (separator < 1) {
            throw new IllegalArgumentException("bech32: missing prefix or '1' separator");
        }
        if (normalized.length() - separator - 1 < CHECKSUM_LENGTH) {
            throw new IllegalArgumentException("bech32: too short for a checksum");
        }
        String hrp = normalized.substring(0, separator);
        byte[] values = new byte[normalized.length() - separator - 1];
        for (int i = 0; i < values.length; i++) {
            char c = normalized.charAt(separator + 1 + i);
            int value = c < 128 ? CHARSET_REV[c] : -1;
            if (value < 0) {
                throw new IllegalArgumentException("bech32: '" + c + "' at position " + (separator + 1 + i)
                        + " is not a bech32 character");
            }
            values[i] = (byte) value;
        }
        int residue = polymod(hrpExpand(hrp), values);
        if (residue == BECH32M_CONST) {
            throw new IllegalArgumentException("bech32: checksum is bech32m, NIP-19 uses bech32");
        }
        if (residue != BECH32_CONST) {
            throw new IllegalArgumentException("bech32: bad checksum");
        }
        byte[] payload = java.util.Arrays.copyOf(values, values.length - CHECKSUM_LENGTH);
        return new Decoded(hrp, convertBits(payload, 5, 8, false));
    }

    private static int[] checksum(String hrp, byte[] values) {
        byte[] expanded = hrpExpand(hrp);
        byte[] withZeros = java.util.Arrays.copyOf(values, values.length + CHECKSUM_LENGTH);
        int mod = polymod(expanded, withZeros) ^ BECH32_CONST;
        int[] checksum = new int[CHECKSUM_LENGTH];
        for (int i = 0; i < CHECKSUM_LENGTH; i++) {
            checksum[i] = (mod >>> (5 * (5 - i))) & 31;
        }
        return checksum;
    }

    private static byte[] hrpExpand(String hrp) {
        byte[] expanded = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            expanded[i] = (byte) (hrp.charAt(i) >>> 5);
            expanded[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return expanded;
    }

    private static int polymod(byte[] first, byte[] second) {
        int chk = 1;
        chk = polymodStep(chk, first);
        return polymodStep(chk, second);
    }

    private static int polymodStep(int chk, byte[] values) {
        final int[] generator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        for (byte value : values) {
            int top = chk >>> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ value;
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= generator[i];
                }
            }
        }
        return chk;
    }

    /** Regroups bits; when decoding ({@code pad} false) rejects leftover bits BIP-173 forbids. */
    private static byte[] convertBits(byte[] data, int fromBits, int toBits, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxValue = (1 << toBits) - 1;
        var out = new ByteArrayOutputStream(data.length * fromBits / toBits + 1);
        for (byte b : data) {
            int value = b & 0xff;
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits) {
                bits -= toBits;
                out.write((acc >>> bits) & maxValue);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (toBits - bits)) & maxValue);
            }
        } else if (bits >= fromBits || ((acc << (toBits - bits)) & maxValue) != 0) {
            throw new IllegalArgumentException("bech32: invalid padding in the data part");
        }
        return out.toByteArray();
    }
}
