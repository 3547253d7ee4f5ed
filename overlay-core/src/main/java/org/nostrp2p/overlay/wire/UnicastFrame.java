package org.nostrp2p.overlay.wire;

import java.util.Arrays;
import org.nostrp2p.overlay.name.PeerName;

/**
 * The payload of a tag 5 (unicast) frame: channel, source, destination, data. A peer that
 * is not the destination relays the original bytes towards it.
 *
 * @param channel     the gossip channel name
 * @param source      the originator
 * @param destination the peer it is for
 * @param data        the application's bytes
 */
public record UnicastFrame(String channel, PeerName source, PeerName destination, byte[] data) {
    @Override
    public boolean equals(Object o) {
        return o instanceof UnicastFrame f && channel.equals(f.channel) && source.equals(f.source)
                && destination.equals(f.destination) && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return channel.hashCode() * 31 + destination.hashCode();
    }
}
