package org.nostrp2p.overlay.gossip;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.nostrp2p.overlay.GossipData;
import org.nostrp2p.overlay.Gossiper;
import org.nostrp2p.overlay.PeerName;

/**
 * What handles a channel this peer has no gossiper for (mesh {@code surrogateGossiper}): it
 * drops unicasts addressed here, passes every broadcast on, and passes on gossip unless the
 * same bytes came in the last 30 s. The memory of recent gossip is bounded. Thread-safe.
 */
public final class SurrogateGossiper implements Gossiper {

    /** Mesh's {@code gossipInterval}: how long identical gossip is recognised. */
    public static final long DEDUPLICATION_NANOS = 30_000_000_000L;
    /** The most recent messages remembered, whatever their age. */
    public static final int MAX_REMEMBERED = 4096;

    private record Previous(byte[] update, int hash, long time) {
    }

    private final Deque<Previous> previous = new ArrayDeque<>();

    @Override
    public GossipData gossip() {
        return null;
    }

    @Override
    public synchronized GossipData onGossip(byte[] message) {
        int hash = Arrays.hashCode(message);
        for (Previous p : previous) {
            if (p.hash == hash && Arrays.equals(p.update, message)) {
                return null;
            }
        }
        long now = System.nanoTime();
        while (!previous.isEmpty()
                && (now - previous.peekFirst().time > DEDUPLICATION_NANOS || previous.size() >= MAX_REMEMBERED)) {
            previous.removeFirst();
        }
        previous.addLast(new Previous(message, hash, now));
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

    /** Messages passed on as they came, merged by concatenation (mesh {@code surrogateGossipData}). */
    private record Data(List<byte[]> messages) implements GossipData {
        @Override
        public List<byte[]> encode() {
            return messages;
        }

        @Override
        public GossipData merge(GossipData other) {
            List<byte[]> merged = new ArrayList<>(messages);
            merged.addAll(other.encode());
            return new Data(merged);
        }
    }
}
