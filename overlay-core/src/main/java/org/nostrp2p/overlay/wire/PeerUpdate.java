package org.nostrp2p.overlay.wire;

import java.util.List;

/**
 * One peer's entry in a topology gossip message: its summary and its connections. A
 * topology message is a sequence of these (mesh {@code Peers.encodePeers}).
 *
 * @param peer            the peer
 * @param connections     its connections, possibly empty, never {@code null}; empty too when
 *                        they were not read
 * @param connectionsRead false when the reader already had this entry and skipped its
 *                        connection list unread (see {@link WireCodec#decodeTopology(byte[], int, int, KnownEntries)})
 */
public record PeerUpdate(PeerSummary peer, List<ConnectionSummary> connections, boolean connectionsRead) {
    public PeerUpdate {
        connections = List.copyOf(connections);
        if (!connectionsRead && !connections.isEmpty()) {
            throw new IllegalArgumentException("connections not read, yet given");
        }
    }

    /** An entry with its connections. */
    public PeerUpdate(PeerSummary peer, List<ConnectionSummary> connections) {
        this(peer, connections, true);
    }

    /** @return an entry whose connection list was skipped unread: its reader had it already */
    static PeerUpdate summaryOnly(PeerSummary peer) {
        return new PeerUpdate(peer, List.of(), false);
    }

    /**
     * Which topology entries a reader has already (the same or a later version): their
     * connection lists are skipped unread. Most entries a peer receives while an overlay forms
     * are ones it has, and their links were most of the decoding.
     */
    @FunctionalInterface
    public interface KnownEntries {
        /** Reads every entry whole. */
        KnownEntries NONE = peer -> false;

        /** @return whether applying an entry with this summary would change nothing */
        boolean has(PeerSummary peer);
    }
}
