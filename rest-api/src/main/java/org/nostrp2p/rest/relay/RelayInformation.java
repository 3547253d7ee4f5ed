package org.nostrp2p.rest.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The NIP-11 relay information document of a NostrP2P server, served on {@code GET /} with
 * {@code Accept: application/nostr+json}. Immutable.
 *
 * @param name        a short name, e.g. "NostrP2P server of alice"
 * @param description one line about the relay
 * @param pubkeyHex   the owner's public key (64 hex), or {@code null} when unknown
 * @param version     the software's version
 */
public record RelayInformation(String name, String description, String pubkeyHex, String version) {

    /** The NIPs the endpoint implements. */
    static final int[] SUPPORTED_NIPS = {1, 11};
    /** The software, as NIP-11 asks: where to find it. */
    static final String SOFTWARE = "nostrp2p-jvm";

    private static final ObjectMapper JSON = new ObjectMapper();

    public RelayInformation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(version, "version");
    }

    /** @return the document of a relay whose owner is unknown */
    public static RelayInformation anonymous() {
        return new RelayInformation("NostrP2P server", "A NostrP2P user's own server: only its owner writes.", null, "unknown");
    }

    /** @return the NIP-11 JSON document */
    public String toJson() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("name", name).put("description", description);
        if (pubkeyHex != null) {
            doc.put("pubkey", pubkeyHex);
        }
        doc.put("software", SOFTWARE).put("version", version);
        var nips = doc.putArray("supported_nips");
        for (int nip : SUPPORTED_NIPS) {
            nips.add(nip);
        }
        ObjectNode limitation = doc.putObject("limitation");
        limitation.put("max_message_length", RelayLimits.MAX_MESSAGE_BYTES)
                .put("max_subscriptions", RelayLimits.MAX_SUBSCRIPTIONS)
                .put("max_filters", RelayLimits.MAX_FILTERS)
                .put("max_limit", RelayLimits.MAX_LIMIT)
                .put("max_subid_length", RelayLimits.MAX_SUBSCRIPTION_ID_CHARS)
                // Nobody needs NIP-42 AUTH to read; writes are the owner's only (signature checked).
                .put("auth_required", false)
                .put("restricted_writes", true)
                .put("payment_required", false);
        return doc.toString();
    }
}
