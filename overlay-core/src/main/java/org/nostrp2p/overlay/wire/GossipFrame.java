package org.nostrp2p.overlay.wire;

import java.util.Arrays;
import org.nostrp2p.overlay.name.PeerName;

/**
 * The payload of a tag 4 (gossip) or tag 6 (broadcast) frame: channel, source, data.
 * For gossip the source is the immediate sender; for broadcast the originator.
 *
 * @param channel the gossip channel name
 * @param source  the sender (gossip) or the originator (broadcast)
 * @param data    the application's bytes
 */
public record GossipFrame(String channel, PeerName source, byte[] data) {
    @Override
    public boolean equals(Object o) {
        return o instanceof GossipFrame f && channel.equals(f.channel) && source.equals(f.source)
                && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return channel.hashCode() * 31 + source.hashCode();
    }
}
