package org.nostrp2p.overlay;

import java.util.List;

/** State or an update that a {@link Gossiper} hands the router to send (mesh {@code GossipData}). */
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
}
