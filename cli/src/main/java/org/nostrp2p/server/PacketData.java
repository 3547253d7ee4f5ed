package org.nostrp2p.server;

import java.util.ArrayList;
import java.util.List;
import org.nostrp2p.overlay.GossipData;

/**
 * Encoded {@code Np2pPacket}s handed to the overlay's broadcast. Merging keeps every packet
 * (each is delivered as one message), as the Go server's merge keeps every event.
 */
final class PacketData implements GossipData {

    private final List<byte[]> packets;

    PacketData(byte[] packet) {
        this.packets = List.of(packet);
    }

    private PacketData(List<byte[]> packets) {
        this.packets = packets;
    }

    @Override
    public List<byte[]> encode() {
        return packets;
    }

    @Override
    public GossipData merge(GossipData other) {
        List<byte[]> merged = new ArrayList<>(packets);
        merged.addAll(other.encode());
        return new PacketData(List.copyOf(merged));
    }
}
