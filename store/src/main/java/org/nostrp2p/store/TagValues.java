package org.nostrp2p.store;

import java.util.HexFormat;

/**
 * How a tag value is kept in the {@code tags} table's {@code value} column. Most indexed
 * values are ids and public keys, 64 lowercase hex characters: those are kept as their 32
 * bytes (a BLOB), halving the table and its index; anything else stays TEXT. Written and
 * looked up through the same function, and SQLite never finds a BLOB equal to a TEXT, so a
 * lookup matches exactly the values that were written.
 */
final class TagValues {

    private static final HexFormat HEX = HexFormat.of();

    private TagValues() {
    }

    /** @return whether a tag gets a row in {@code tags}: a one-character name and a value */
    static boolean isIndexed(java.util.List<String> tag) {
        return tag.size() >= 2 && tag.get(0).length() == 1;
    }

    /** @return the value as it is bound to the {@code value} column: {@code byte[]} or {@code String} */
    static Object column(String value) {
        return FilterQuery.isLowercaseHex64(value) ? HEX.parseHex(value) : value;
    }
}
