package org.nostrp2p.examples.overlay;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nostrp2p.overlay.GossipData;
import org.nostrp2p.overlay.name.PeerName;

/**
 * A grow-only counter (a G-Counter CRDT, as in mesh's examples/increment-only-counter): each
 * peer's own count, merged by taking the larger of two counts per peer; the total is the sum.
 * As {@link GossipData} it encodes to one message: for each peer its 6-byte name and an 8-byte
 * count. Not thread-safe: its owner, {@link CounterPeer}, synchronises.
 */
final class IncrementOnlyCounter implements GossipData {

    private static final int ENTRY_BYTES = PeerName.BYTES + Long.BYTES;

    private final Map<PeerName, Long> counts = new TreeMap<>();

    /** Adds one to {@code peer}'s own count. */
    void increment(PeerName peer) {
        counts.merge(peer, 1L, Long::sum);
    }

    /** @return the sum of every peer's count */
    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Merges {@code other} into this counter.
     *
     * @return the entries that grew here, or null when nothing did
     */
    IncrementOnlyCounter mergeDelta(IncrementOnlyCounter other) {
        IncrementOnlyCounter delta = new IncrementOnlyCounter();
        other.counts.forEach((peer, count) -> {
            if (count > counts.getOrDefault(peer, 0L)) {
                counts.put(peer, count);
                delta.counts.put(peer, count);
            }
        });
        return delta.counts.isEmpty() ? null : delta;
    }

    IncrementOnlyCounter copy() {
        IncrementOnlyCounter copy = new IncrementOnlyCounter();
        copy.counts.putAll(counts);
        return copy;
    }

    @Override
    public List<byte[]> encode() {
        ByteBuffer out = ByteBuffer.allocate(counts.size() * ENTRY_BYTES);
        counts.forEach((peer, count) -> out.put(peer.toBytes()).putLong(count));
        return List.of(out.array());
    }

    @Override
    public GossipData merge(GossipData other) {
        IncrementOnlyCounter merged = copy();
        merged.mergeDelta((IncrementOnlyCounter) other);
        return merged;
    }

    /**
     * @param message what {@link #encode()} made
     * @return the counter it describes
     * @throws IllegalArgumentException when the message is not whole entries
     */
    static IncrementOnlyCounter decode(byte[] message) {
        if (message.length % ENTRY_BYTES != 0) {
            throw new IllegalArgumentException("a counter message is whole 14-byte entries, got " + message.length + " bytes");
        }
        IncrementOnlyCounter counter = new IncrementOnlyCounter();
        ByteBuffer in = ByteBuffer.wrap(message);
        Map<PeerName, Long> seen = new HashMap<>();
        while (in.hasRemaining()) {
            byte[] name = new byte[PeerName.BYTES];
            in.get(name);
            seen.merge(PeerName.fromBytes(name), in.getLong(), Math::max);
        }
        counter.counts.putAll(seen);
        return counter;
    }
}
