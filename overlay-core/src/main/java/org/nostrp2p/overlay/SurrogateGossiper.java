package org.nostrp2p.overlay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.nostrp2p.overlay.name.PeerName;

/**
 * What handles a channel this peer has no gossiper for (mesh {@code surrogateGossiper}): it
 * drops unicasts addressed here, passes every broadcast on, and passes on gossip unless the
 * same bytes came in the last 30 s. The memory of recent gossip is bounded in messages and,
 * beyond mesh, in bytes ({@link #MAX_REMEMBERED_BYTES}; a message larger than that is passed
 * on without being remembered), and what waits to be sent down one connection is bounded in
 * bytes too ({@link #MAX_PENDING_BYTES}: past it the oldest messages are dropped, as a relay
 * for a channel it does not know may). Thread-safe.
 */
final class SurrogateGossiper implements Gossiper {
    /** Mesh's {@code gossipInterval}: how long identical gossip is recognised. */
    public static final long DEDUPLICATION_NANOS = 30_000_000_000L;
    /** The most recent messages remembered, whatever their age. */
    public static final int MAX_REMEMBERED = 4096;
    /** Beyond mesh: the most bytes of recent gossip remembered for deduplication. */
    public static final long MAX_REMEMBERED_BYTES = 256 * 1024;
    /** Beyond mesh: the most bytes merged for one connection while a send is in flight. */
    public static final long MAX_PENDING_BYTES = 1024 * 1024;

    private record Previous(byte[] update, int hash, long time) {
    }

    private final Deque<Previous> previous = new ArrayDeque<>();
    private long rememberedBytes;


    @Override
    public synchronized GossipData onGossip(byte[] message) {
        int hash = Arrays.hashCode(message);
        for (Previous p : previous) {
            if (p.hash == hash && Arrays.equals(p.update, message)) {
                return null;
            }
        }
        long now = System.nanoTime();
        if (message.length > MAX_REMEMBERED_BYTES) {
            return new Data(List.of(message));
        }
        while (!previous.isEmpty()
                && (now - previous.peekFirst().time > DEDUPLICATION_NANOS || previous.size() >= MAX_REMEMBERED
                        || rememberedBytes + message.length > MAX_REMEMBERED_BYTES)) {
            rememberedBytes -= previous.removeFirst().update.length;
        }
        previous.addLast(new Previous(message, hash, now));
        rememberedBytes += message.length;
        return new Data(List.of(message));
    }

    @Override
    public GossipData onGossipBroadcast(PeerName source, byte[] update) {
        return new Data(List.of(update));
    }

    @Override
    public void onGossipUnicast(PeerName source, byte[] message) {
        // Mesh drops a unicast for a channel it does not know.
    }

    /** @return bytes of gossip remembered for deduplication now */
    public synchronized long rememberedBytes() {
        return rememberedBytes;
    }

    /**
     * Messages passed on as they came, merged by concatenation (mesh {@code surrogateGossipData}),
     * keeping the newest within {@link #MAX_PENDING_BYTES}.
     */
    private record Data(List<byte[]> messages) implements GossipData {
        @Override
        public List<byte[]> encode() {
            return messages;
        }

        @Override
        public GossipData merge(GossipData other) {
            List<byte[]> merged = new ArrayList<>(messages);
            merged.addAll(other.encode());
            long bytes = 0;
            int keepFrom = merged.size();
            while (keepFrom > 0 && bytes + merged.get(keepFrom - 1).length <= MAX_PENDING_BYTES) {
                keepFrom--;
                bytes += merged.get(keepFrom).length;
            }
            if (keepFrom == merged.size()) {
                keepFrom = merged.size() - 1; // the newest alone is over the bound: it still goes
            }
            return new Data(keepFrom == 0 ? merged : new ArrayList<>(merged.subList(keepFrom, merged.size())));
        }
    }
}
