package org.nostrp2p.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * The first thing an accepted connection meets: it is handed on to HTTP only while the
 * connections open from its client address, all connections open, and the process's free
 * file descriptors stay within {@link RestLimits}; otherwise it is closed at once, before a
 * byte is read (the client sees the connection end), counted, and logged at most once a
 * minute per cause and address.
 *
 * <p>Slots cannot be hoarded: once half the connections are taken, an address already
 * holding {@link #FAIR_SHARE} or more gets no new one; and when all are taken, a newcomer
 * from an address holding fewer than the busiest address takes the oldest connection of
 * that address (which is closed). So however many connections a few addresses open, a
 * client from another address (the owner's phone) still gets in.
 *
 * <p>A connection counts until it is closed, whoever closes it: the gate keeps the connections
 * it let through and forgets closed ones when it needs the room, so no close listener (which
 * an upgrade to WebSocket may replace) has to be trusted. Runs on XNIO's I/O threads; the
 * state is guarded by the gate's lock, held for a few list operations.
 */
final class ConnectionGate implements ChannelListener<StreamConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG);

    /** Past half the total, an address holding this many connections gets no more. */
    static final int FAIR_SHARE = 4;

    private final ChannelListener<? super StreamConnection> next;
    private final int maxTotal;
    private final int maxPerAddress;
    private final FileDescriptors fileDescriptors;
    private final Map<String, List<StreamConnection>> openByAddress = new HashMap<>();
    private int open;
    private long refused;

    ConnectionGate(ChannelListener<? super StreamConnection> next, RestLimits limits, FileDescriptors fileDescriptors) {
        this.next = next;
        this.maxTotal = limits.connections();
        this.maxPerAddress = limits.connectionsPerAddress();
        this.fileDescriptors = fileDescriptors;
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        String address = ClientAddress.key(connection.getPeerAddress());
        StreamConnection[] evicted = new StreamConnection[1];
        String refusal = admit(address, connection, evicted);
        if (refusal != null) {
            IoUtils.safeClose(connection);
            REFUSALS.warn(refusal, address, "REST: refused a connection from {}: {}", address, refusal);
            return;
        }
        if (evicted[0] != null) {
            String from = ClientAddress.key(evicted[0].getPeerAddress());
            IoUtils.safeClose(evicted[0]);
            REFUSALS.warn("evicted", from, "REST: all {} connections taken; closed the oldest of {} to let {} in",
                    maxTotal, from, address);
        }
        next.handleEvent(connection);
    }

    /** @return null when admitted (and counted; {@code evicted[0]} set to a connection to close), else why not */
    private synchronized String admit(String address, StreamConnection connection, StreamConnection[] evicted) {
        List<StreamConnection> fromAddress = openByAddress.getOrDefault(address, List.of());
        forgetClosed(fromAddress);
        String refusal = null;
        if (!fileDescriptors.takeOne()) {
            refusal = "the process is near its limit of " + fileDescriptors.limit() + " open files";
        } else if (fromAddress.size() >= maxPerAddress) {
            refusal = "this address already holds " + fromAddress.size() + " connections (the limit per address)";
        } else if (open * 2 >= maxTotal && fromAddress.size() >= FAIR_SHARE && forgetAllClosed() * 2 >= maxTotal) {
            refusal = "this address holds " + fromAddress.size() + " connections and over half of all " + maxTotal + " are taken";
        } else if (open >= maxTotal && forgetAllClosed() >= maxTotal) {
            List<StreamConnection> busiest = busiestAddress();
            if (busiest.size() > fromAddress.size() + 1) {
                evicted[0] = busiest.remove(0);
                open--;
            } else {
                refusal = open + " connections are open (the limit)";
            }
        }
        if (refusal != null) {
            refused++;
            return refusal;
        }
        openByAddress.computeIfAbsent(address, a -> new ArrayList<>(2)).add(connection);
        open++;
        return null;
    }

    private List<StreamConnection> busiestAddress() {
        List<StreamConnection> busiest = List.of();
        for (List<StreamConnection> connections : openByAddress.values()) {
            if (connections.size() > busiest.size()) {
                busiest = connections;
            }
        }
        return busiest;
    }

    private void forgetClosed(List<StreamConnection> connections) {
        for (Iterator<StreamConnection> it = connections.iterator(); it.hasNext(); ) {
            if (!it.next().isOpen()) {
                it.remove();
                open--;
            }
        }
    }

    private int forgetAllClosed() {
        for (Iterator<List<StreamConnection>> it = openByAddress.values().iterator(); it.hasNext(); ) {
            List<StreamConnection> connections = it.next();
            forgetClosed(connections);
            if (connections.isEmpty()) {
                it.remove();
            }
        }
        return open;
    }

    /** @return connections open now (closed ones forgotten first) */
    synchronized int open() {
        return forgetAllClosed();
    }

    /** @return connections refused since start */
    synchronized long refused() {
        return refused;
    }

    /** Closes every connection still open (the listener is stopping): none is left to take a request. */
    void closeAll() {
        List<StreamConnection> open = new java.util.ArrayList<>();
        synchronized (this) {
            openByAddress.values().forEach(open::addAll);
            openByAddress.clear();
        }
        open.forEach(org.xnio.IoUtils::safeClose);
    }
}
