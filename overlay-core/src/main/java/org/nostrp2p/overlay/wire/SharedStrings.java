package org.nostrp2p.overlay.wire;

import java.nio.charset.StandardCharsets;

/**
 * Short ASCII strings decoded from topology gossip (addresses, nicknames), shared: a decoder
 * gets the instance it made for the same bytes before when that is still in its slot. A
 * router holding a 500-peer topology then holds one string per distinct address instead of
 * one per link of every entry of every version decoded (over a million in a 500-router
 * benchmark JVM), which the garbage collector no longer copies. Bounded (one string per slot,
 * a newer one takes a taken slot) whatever strings arrive; racy reads are safe, strings being
 * immutable. Thread-safe.
 */
final class SharedStrings {

    private static final int SLOTS = 4096;
    /** Longer strings, and any that is not ASCII, are made afresh. */
    static final int MAX_LENGTH = 64;
    private static final String[] CACHE = new String[SLOTS];

    private SharedStrings() {
    }

    /** @return the UTF-8 string of {@code length} bytes of {@code in} from {@code from} */
    static String of(byte[] in, int from, int length) {
        if (length > MAX_LENGTH) {
            return new String(in, from, length, StandardCharsets.UTF_8);
        }
        int hash = length;
        for (int i = from; i < from + length; i++) {
            byte b = in[i];
            if (b < 0) {
                return new String(in, from, length, StandardCharsets.UTF_8);
            }
            hash = 31 * hash + b;
        }
        int slot = (hash ^ (hash >>> 12) ^ (hash >>> 24)) & (SLOTS - 1);
        String cached = CACHE[slot];
        if (cached != null && sameAscii(cached, in, from, length)) {
            return cached;
        }
        String made = new String(in, from, length, StandardCharsets.US_ASCII);
        CACHE[slot] = made;
        return made;
    }

    private static boolean sameAscii(String s, byte[] in, int from, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != in[from + i]) {
                return false;
            }
        }
        return true;
    }
}
