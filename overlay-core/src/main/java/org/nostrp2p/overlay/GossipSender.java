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
    // The batch being written (one gossip or one source's broadcasts, each message a frame), its
    // tag and source, and the index of its next message to write; null when none is.
    private List<byte[]> batch;
    private ProtocolTag batchTag;
    private PeerName batchSource;
    private int nextMessage;
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

    /**
     * Queues {@code data} as a broadcast from {@code source} (tag 6), merged with any pending
     * from it. It goes ahead of the tasks queued on the event loop (see
     * {@link IoLoops#executeUrgent}): a broadcast crosses the overlay hop by hop, and where
     * routers share loops each hop would otherwise wait behind their topology work.
     */
    void broadcast(PeerName source, GossipData data) {
        if (eventLoop.isShuttingDown()) {
            return;
        }
        IoLoops.executeUrgent(eventLoop, () -> {
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
            if (batch != null) {
                // the rest of a batch this connection was writing (requeue passes it on)
                requeue(batchTag, batchSource, takeRestOfBatch());
            }
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
        if (batch == null && !startBatch()) {
            return;
        }
        // Beyond mesh: a batch (many broadcasts merged while a write was in flight) goes out as
        // the connection drains, never more than half the outbound budget queued at once.
        // Written whole, forty 1 MiB broadcasts went past the 16 MiB budget and this peer
        // closed its own connection as one that does not read, and again on the next.
        int chunkStart = nextMessage;
        long limit = connection.outboundBudget.maxBytes() / 2;
        ChannelFuture last = null;
        while (nextMessage < batch.size()) {
            byte[] message = batch.get(nextMessage);
            byte[] payload = WireCodec.encodeGossip(new GossipFrame(gossipChannel.name(), batchSource, message));
            if (payload.length + 1 > org.nostrp2p.overlay.wire.SecretBoxCodec.MAX_BODY_BYTES) {
                // the application's mistake, not the connection's: drop the message, keep the connection
                LOG.warn("[gossip {}]: dropped a message of {} bytes, over the {} byte frame limit",
                        gossipChannel.name(), message.length, WireCodec.MAX_FRAME_BYTES);
                nextMessage++;
                continue;
            }
            if (last != null && connection.outboundBudget.queued() + payload.length + 1 > limit) {
                break;
            }
            last = connection.send(batchTag, payload);
            nextMessage++;
        }
        ProtocolTag tag = batchTag;
        PeerName source = batchSource;
        List<byte[]> chunk = batch.subList(chunkStart, nextMessage);
        if (nextMessage >= batch.size()) {
            batch = null;
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
                // what this chunk carried, and the rest of its batch unless handOverTo passed it
                // on already, waits for a replacement (busy kept another batch from starting)
                GossipData failed = GossipData.ofMessages(List.copyOf(chunk));
                requeue(tag, source, batch == null ? failed : failed.merge(takeRestOfBatch()));
            }
        });
    }

    // The messages of the batch not written yet, as data; the batch is then done with.
    private GossipData takeRestOfBatch() {
        GossipData rest = GossipData.ofMessages(List.copyOf(batch.subList(nextMessage, batch.size())));
        batch = null;
        return rest;
    }

    // Takes the next pending gossip or broadcast as the batch to write; false when none is pending.
    private boolean startBatch() {
        GossipData data;
        if (gossip != null) {
            // gossip first, as mesh does: it is usually the more important
            batchTag = ProtocolTag.GOSSIP;
            batchSource = connection.settings.name();
            data = gossip;
            gossip = null;
        } else if (!broadcasts.isEmpty()) {
            Iterator<Map.Entry<PeerName, GossipData>> first = broadcasts.entrySet().iterator();
            Map.Entry<PeerName, GossipData> entry = first.next();
            first.remove();
            batchTag = ProtocolTag.GOSSIP_BROADCAST;
            batchSource = entry.getKey();
            data = entry.getValue();
        } else {
            return false;
        }
        try {
            batch = data.encode();
        } catch (RuntimeException e) {
            connection.fail(e);
            return false;
        }
        nextMessage = 0;
        return true;
    }
}
