package org.nostrp2p.overlay.wire;

import java.util.Collection;
import java.util.List;

/**
 * One peer's entry of topology gossip, encoded once ({@code peerSummary} and
 * {@code []connectionSummary} value messages): every message of one flush of news that
 * describes the peer, to whichever group of neighbours, copies these bytes instead of encoding
 * the peer again (see {@link WireCodec#encodeTopologyGossip}). Immutable.
 */
public final class TopologyEntry {

    final byte[] bytes;
    /** Where the {@code []connectionSummary} message starts (a stream's first entry has definitions there). */
    final int split;

    TopologyEntry(byte[] bytes, int split) {
        this.bytes = bytes;
        this.split = split;
    }

    /**
     * @param peer        the peer's summary
     * @param connections its connections, in the order to write them
     * @return the entry
     * @throws IllegalArgumentException when the short id does not fit mesh's uint16
     */
    public static TopologyEntry of(PeerSummary peer, Collection<ConnectionSummary> connections) {
        return TopologyGobCodec.entry(peer, connections);
    }

    /** @return the encoded size in bytes */
    public int size() {
        return bytes.length;
    }

    /** @return the entries as one topology stream, the same bytes as {@link WireCodec#encodeTopology} */
    public static byte[] stream(List<TopologyEntry> entries) {
        return TopologyGobCodec.encode(entries, new byte[0]);
    }
}
