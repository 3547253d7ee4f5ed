package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.List;

/** Gossip data that is just messages, merged by concatenation. */
record BytesData(List<byte[]> messages) implements GossipData {

    static BytesData of(byte[] message) {
        return new BytesData(List.of(message));
    }

    @Override
    public List<byte[]> encode() {
        return messages;
    }

    @Override
    public GossipData merge(GossipData other) {
        List<byte[]> merged = new ArrayList<>(messages);
        merged.addAll(other.encode());
        return new BytesData(merged);
    }
}
