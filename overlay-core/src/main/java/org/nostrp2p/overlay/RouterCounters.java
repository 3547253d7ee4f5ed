package org.nostrp2p.overlay;

import java.util.concurrent.atomic.LongAdder;

/**
 * The router's running totals, for {@link RouterStatus#counters()}: frames and bytes each way,
 * broadcasts relayed, topology work. Any thread may add; read with {@link #snapshot()}.
 */
final class RouterCounters {
    final LongAdder framesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder framesReceived = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder broadcastsRelayed = new LongAdder();
    /** Beyond mesh: broadcasts the tree did not bring, asked for from a Java neighbour that announced them. */
    final LongAdder broadcastsRepaired = new LongAdder();
    /** Beyond mesh: copies of a broadcast already delivered here, dropped. */
    final LongAdder broadcastCopiesDropped = new LongAdder();
    final LongAdder topologyMessagesReceived = new LongAdder();
    final LongAdder topologyUpdatesApplied = new LongAdder();
    final LongAdder topologyMessagesSent = new LongAdder();
    final LongAdder topologyBytesSent = new LongAdder();
    final LongAdder routeRecomputations = new LongAdder();
    final LongAdder topologyEntriesSent = new LongAdder();
    /** Entries in the topology messages read, and how many of them were news here. */
    final LongAdder topologyEntriesReceived = new LongAdder();
    final LongAdder topologyEntriesNew = new LongAdder();
    /** Beyond mesh: links pruned to haves, and wants sent for versions a have announced (see {@link TopologyNews}). */
    final LongAdder topologyPrunes = new LongAdder();
    final LongAdder topologyGrafts = new LongAdder();
    /** Beyond mesh: times a neighbour over its budget was not read for a moment (or disconnected). */
    final LongAdder backPressurePauses = new LongAdder();
    /** Beyond mesh: accepted connections closed to make room in the handshake pool (see {@link SlotGuard}). */
    final LongAdder handshakesEvicted = new LongAdder();
    /** Beyond mesh: accepted connections closed for not completing their handshake in time (see {@link SlotGuard}). */
    final LongAdder handshakesTimedOut = new LongAdder();

    void topologySent(Connection connection, int bytes) {
        topologyMessagesSent.increment();
        topologyBytesSent.add(bytes);
    }

    RouterStatus.Counters snapshot() {
        return new RouterStatus.Counters(framesSent.sum(), bytesSent.sum(), framesReceived.sum(), bytesReceived.sum(),
                broadcastsRelayed.sum(), topologyMessagesReceived.sum(), topologyUpdatesApplied.sum(),
                topologyMessagesSent.sum(), topologyBytesSent.sum(), routeRecomputations.sum(), broadcastsRepaired.sum(),
                broadcastCopiesDropped.sum(), topologyEntriesReceived.sum(), topologyEntriesNew.sum(), topologyPrunes.sum(),
                topologyGrafts.sum(), handshakesEvicted.sum(), handshakesTimedOut.sum());
    }
}
