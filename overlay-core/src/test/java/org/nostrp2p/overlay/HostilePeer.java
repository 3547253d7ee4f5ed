package org.nostrp2p.overlay;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.UnicastFrame;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * A mesh peer written for the flood suite: it completes the handshake as a Go peer would
 * (as {@link RawPeer} does), then sends whatever an attacker would: topology naming invented
 * peers and addresses, gossip on channels nobody registered, or nothing at all.
 */
final class HostilePeer implements AutoCloseable {
    static final long UID = 12345;

    final RawPeer raw;
    final PeerName name;
    private long version;

    private HostilePeer(RawPeer raw, PeerName name) {
        this.raw = raw;
        this.name = name;
    }

    /** Connects to {@code port} and completes the handshake as {@code name}. */
    static HostilePeer join(int port, PeerName name) throws IOException {
        RawPeer raw = new RawPeer(port);
        raw.handshake(name.toString());
        return new HostilePeer(raw, name);
    }

    /** As {@link #join(int, PeerName)}, saying in its features that it is a Java (overlay-core) peer. */
    static HostilePeer joinAsJava(int port, PeerName name) throws IOException {
        RawPeer raw = new RawPeer(port);
        raw.handshake(name.toString(), java.util.Map.of(FeatureExchange.IMPLEMENTATION_FEATURE, FeatureExchange.IMPLEMENTATION));
        return new HostilePeer(raw, name);
    }

    /** @return a peer name made from {@code i} (locally administered MACs) */
    static PeerName inventedName(int prefix, int i) {
        return PeerName.fromBytes(new byte[] {(byte) 0x02, (byte) prefix, (byte) (i >>> 24), (byte) (i >>> 16),
                (byte) (i >>> 8), (byte) i});
    }

    /** @return {@code n} loopback addresses where nothing listens (ports just released) */
    static List<String> closedAddresses(int n) throws IOException {
        List<String> out = new ArrayList<>();
        List<ServerSocket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            sockets.add(s);
            out.add("127.0.0.1:" + s.getLocalPort());
        }
        for (ServerSocket s : sockets) {
            s.close();
        }
        return out;
    }

    /** Sends this peer's own topology entry, a new version, claiming {@code connections}. */
    void announce(List<ConnectionSummary> connections) throws IOException {
        sendTopology(List.of(new PeerUpdate(new PeerSummary(name, "hostile", UID, ++version, 7, true), connections)));
    }

    /** Sends {@code updates} as tag-4 topology gossip. */
    void sendTopology(List<PeerUpdate> updates) throws IOException {
        gossip(ProtocolTag.GOSSIP, TopologyNews.CHANNEL, WireCodec.encodeTopology(updates));
    }

    /** Sends a tag-4 or tag-6 frame on {@code channel} with this peer as source. */
    void gossip(ProtocolTag tag, String channel, byte[] data) throws IOException {
        frame(tag, WireCodec.encodeGossip(new GossipFrame(channel, name, data)));
    }

    void unicast(String channel, PeerName destination, byte[] data) throws IOException {
        frame(ProtocolTag.GOSSIP_UNICAST, WireCodec.encodeUnicast(new UnicastFrame(channel, name, destination, data)));
    }

    void frame(ProtocolTag tag, byte[] payload) throws IOException {
        byte[] body = new byte[payload.length + 1];
        body[0] = (byte) tag.code();
        System.arraycopy(payload, 0, body, 1, payload.length);
        raw.writeFrame(body);
    }

    /**
     * @return the next tag-4 or tag-6 frame read within {@code waitMillis} (heartbeats and
     *     other tags are read and skipped: then, or when nothing came, null)
     */
    GossipFrame nextGossip(int waitMillis) throws IOException {
        raw.socket.setSoTimeout(waitMillis);
        try {
            byte[] frame = raw.readFrame();
            if (frame.length == 0 || (frame[0] != ProtocolTag.GOSSIP.code() && frame[0] != ProtocolTag.GOSSIP_BROADCAST.code())) {
                return null;
            }
            return WireCodec.decodeGossip(java.util.Arrays.copyOfRange(frame, 1, frame.length));
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
