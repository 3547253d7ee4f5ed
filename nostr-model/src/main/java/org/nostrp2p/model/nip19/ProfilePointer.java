package org.nostrp2p.model.nip19;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a NIP-19 {@code nprofile} names: a public key and relays where its events may be found.
 * Immutable; the key is copied in and out.
 *
 * @param pubkey the 32-byte x-only public key
 * @param relays relay URLs, possibly empty; never {@code null}
 */
public record ProfilePointer(byte[] pubkey, List<String> relays) {
    public ProfilePointer {
        Objects.requireNonNull(pubkey, "pubkey");
        if (pubkey.length != 32) {
            throw new IllegalArgumentException("nprofile: public key must be 32 bytes, got " + pubkey.length);
        }
        pubkey = pubkey.clone();
        relays = relays == null ? List.of() : List.copyOf(relays);
    }

    @Override
    public byte[] pubkey() {
        return pubkey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProfilePointer p && Arrays.equals(pubkey, p.pubkey) && relays.equals(p.relays);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pubkey) * 31 + relays.hashCode();
    }

    @Override
    public String toString() {
        return "ProfilePointer[pubkey=" + org.nostrp2p.model.Hex.encode(pubkey) + ", relays=" + relays + "]";
    }
}
