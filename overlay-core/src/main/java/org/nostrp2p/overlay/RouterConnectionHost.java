package org.nostrp2p.overlay;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ProtocolTag;

/**
 * A router as its connections see it ({@link ConnectionHost}): the local peer registers them,
 * hands newcomers on and hears of their end; the gossip channels take their gossip; the slot
 * guard hears when a handshake ends; the suspensions refuse a neighbour cut for its budget. It
 * holds one thing of its own, the count of inbound connections told they are welcome and not
 * yet registered or closed. Thread-safe.
 */
final class RouterConnectionHost implements ConnectionHost {
    private final IntSupplier listenPort;
    private final LocalPeer localPeer;
    private final GossipChannels gossipChannels;
    private final SlotGuard slotGuard;
    private final Suspensions suspensions;
    private final RouterCounters counters;
    private final RateLimitedLog connectionLog;
    /** Inbound connections told they are welcome and not yet registered or closed. */
    private final AtomicInteger admitting = new AtomicInteger();

    /**
     * @param listenPort the port the router listens on, the real one once bound
     * @param connectionLog where lines about connections that never became links go
     */
    RouterConnectionHost(IntSupplier listenPort, LocalPeer localPeer, GossipChannels gossipChannels, SlotGuard slotGuard,
                         Suspensions suspensions, RouterCounters counters, RateLimitedLog connectionLog) {
        this.listenPort = listenPort;
        this.localPeer = localPeer;
        this.gossipChannels = gossipChannels;
        this.slotGuard = slotGuard;
        this.suspensions = suspensions;
        this.counters = counters;
        this.connectionLog = connectionLog;
    }

    @Override
    public int listenPort() {
        return listenPort.getAsInt();
    }

    @Override
    public int shortId() {
        return localPeer.shortId();
    }

    @Override
    public int connectionsAndAdmissions() {
        return localPeer.state().connections().size() + admitting.get();
    }

    @Override
    public void admissionOpened() {
        admitting.incrementAndGet();
    }

    @Override
    public void admissionClosed() {
        admitting.decrementAndGet();
    }

    @Override
    public List<String> handOff() {
        return localPeer.handOff();
    }

    @Override
    public boolean passedOnWithoutLink() {
        return localPeer.passedOnWithoutLink();
    }

    @Override
    public void handshakeDone(Connection connection) {
        slotGuard.done(connection);
    }

    @Override
    public void register(Connection connection) {
        localPeer.register(connection);
    }

    @Override
    public void receiveGossip(Connection from, ProtocolTag tag, byte[] payload) {
        gossipChannels.handleGossip(from, tag, payload);
    }

    @Override
    public long suspend(PeerName peer) {
        return suspensions.suspend(peer);
    }

    @Override
    public RouterCounters counters() {
        return counters;
    }

    @Override
    public RateLimitedLog connectionLog() {
        return connectionLog;
    }

    @Override
    public void closed(Connection connection) {
        localPeer.connectionClosed(connection);
        gossipChannels.connectionGone(connection);
        slotGuard.done(connection);
    }
}
