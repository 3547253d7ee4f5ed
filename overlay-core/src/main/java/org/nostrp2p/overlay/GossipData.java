package org.nostrp2p.overlay;

import java.util.List;

/**
 * State or an update that a {@link Gossiper} hands the router to send (mesh {@code GossipData}).
 *
 * <p><b>Buffers.</b> The arrays {@link #encode()} returns are read by the router until they
 * have been written to every connection they go to, on the connections' I/O threads, possibly
 * more than once: the application must not change them after returning them. Implementations
 * should be immutable or safely published; {@link #ofMessages} is the simplest.
 */
public interface GossipData {

    /** @return the messages to send, each delivered to the receiver's gossiper as one call */
    List<byte[]> encode();

    /**
     * Merges {@code other} into this, so that a sender that is busy sends one message for
     * several updates.
     *
     * @return the merged data (may be {@code this})
     */
    GossipData merge(GossipData other);

    /**
     * Data that is a list of messages, merged by concatenation: for an application whose
     * messages need no merging of their own. The arrays are not copied: the caller must not
     * change them after this call.
     *
     * @param messages the messages, each delivered to the receiver's gossiper as one call
     * @return the data
     */
    static GossipData ofMessages(List<byte[]> messages) {
        return new MessageList(List.copyOf(messages));
    }

    /** @see #ofMessages(List) */
    static GossipData ofMessages(byte[]... messages) {
        return ofMessages(List.of(messages));
    }

    /** What {@link #ofMessages} returns. */
    record MessageList(List<byte[]> messages) implements GossipData {
        @Override
        public List<byte[]> encode() {
            return messages;
        }

        @Override
        public GossipData merge(GossipData other) {
            List<byte[]> merged = new java.util.ArrayList<>(messages);
            merged.addAll(other.encode());
            return new MessageList(List.copyOf(merged));
        }
    }
}
