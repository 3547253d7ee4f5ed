package org.nostrp2p.overlay;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * What one gossip channel has to send down one connection (mesh {@code gossipSender},
 * gossip.go): at most one pending gossip and one pending broadcast per source; whatever
 * arrives while a send is in flight is merged into what is pending, so a busy connection
 * sends one message for many updates. Beyond mesh, nothing is lost when the connection is
 * replaced by another to the same peer (a duplicate dropped by the tie-break, a reconnection):
 * what is pending then, what a failed write carried, and what is queued later go to the
 * replacement's sender ({@link #handOverTo}). Confined to the connection's event loop;
 * {@link #send}, {@link #broadcast} and {@link #handOverTo} may be called from any thread.
 */
final class GossipSender {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GossipSender.class);

    private final Connection connection;
    private final GossipChannel gossipChannel;
    private final EventLoop eventLoop;

    // Event loop only.
    private GossipData gossip;
    private final Map<PeerName, GossipData> broadcasts = new LinkedHashMap<>();
    private boolean busy;
    // Set once this connection is replaced: where what is pending, and all that comes later, goes.
    private GossipSender successor;

    GossipSender(Connection connection, GossipChannel gossipChannel) {
        this.connection = connection;
        this.gossipChannel = gossipChannel;
        this.eventLoop = connection.channel.eventLoop();
    }

    /** Queues {@code data} as gossip (tag 4), merged with any gossip still pending. */
    void send(GossipData data) {
        if (eventLoop.isShuttingDown()) {
            return;
        }
        eventLoop.execute(() -> {
            if (successor != null) {
                successor.send(data);
                return;
            }
            gossip = gossip == null ? data : gossip.merge(data);
            deliver();
        });
    }

    /** Queues {@code data} as a broadcast from {@code source} (tag 6), merged with any pending from it. */
    void broadcast(PeerName source, GossipData data) {
        if (eventLoop.isShuttingDown()) {
            return;
        }
        eventLoop.execute(() -> {
            if (successor != null) {
                successor.broadcast(source, data);
                return;
            }
            broadcasts.merge(source, data, GossipData::merge);
            deliver();
        });
    }

    /**
     * Passes what is pending, and everything queued from now on, to the same channel's sender
     * on {@code replacement} (see {@link Connection#handOverTo}).
     */
    void handOverTo(Connection replacement) {
        GossipSender next = replacement.sender(gossipChannel);
        if (eventLoop.isShuttingDown()) {
            return;
        }
        eventLoop.execute(() -> {
            successor = next;
            if (gossip != null) {
                next.send(gossip);
                gossip = null;
            }
            broadcasts.forEach(next::broadcast);
            broadcasts.clear();
        });
    }

    // A write that failed (the connection closed under it): keep its data for a replacement.
    private void requeue(ProtocolTag tag, PeerName source, GossipData data) {
        if (tag == ProtocolTag.GOSSIP) {
            if (successor != null) {
                successor.send(data);
            } else {
                gossip = gossip == null ? data : data.merge(gossip);
            }
        } else if (successor != null) {
            successor.broadcast(source, data);
        } else {
            broadcasts.merge(source, data, (pending, failed) -> failed.merge(pending));
        }
    }

    private void deliver() {
        // nothing goes on a connection this peer is closing: it stays pending for a replacement
        if (busy || connection.closing() || !connection.channel.isActive()) {
            return;
        }
        ProtocolTag tag;
        PeerName source;
        GossipData data;
        if (gossip != null) {
            // gossip first, as mesh does: it is usually the more important
            tag = ProtocolTag.GOSSIP;
            source = connection.settings.name();
            data = gossip;
            gossip = null;
        } else if (!broadcasts.isEmpty()) {
            Iterator<Map.Entry<PeerName, GossipData>> first = broadcasts.entrySet().iterator();
            Map.Entry<PeerName, GossipData> entry = first.next();
            first.remove();
            tag = ProtocolTag.GOSSIP_BROADCAST;
            source = entry.getKey();
            data = entry.getValue();
        } else {
            return;
        }
        List<byte[]> messages;
        try {
            messages = data.encode();
        } catch (RuntimeException e) {
            connection.fail(e);
            return;
        }
        ChannelFuture last = null;
        for (byte[] message : messages) {
            byte[] payload = WireCodec.encodeGossip(new GossipFrame(gossipChannel.name(), source, message));
            if (payload.length + 1 > org.nostrp2p.overlay.wire.SecretBoxCodec.MAX_BODY_BYTES) {
                // the application's mistake, not the connection's: drop the message, keep the connection
                LOG.warn("[gossip {}]: dropped a message of {} bytes, over the {} byte frame limit",
                        gossipChannel.name(), message.length, WireCodec.MAX_FRAME_BYTES);
                continue;
            }
            last = connection.send(tag, payload);
        }
        if (last == null) {
            deliver();
            return;
        }
        busy = true;
        last.addListener(f -> {
            busy = false;
            if (f.isSuccess()) {
                deliver();
            } else {
                requeue(tag, source, data);
            }
        });
    }
}
