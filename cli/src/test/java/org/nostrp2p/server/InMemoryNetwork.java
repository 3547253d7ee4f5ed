package org.nostrp2p.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.nostrp2p.overlay.name.PeerName;

/**
 * A fully connected overlay in memory: the boundary the server owns ({@link Overlay}) without
 * TCP, so the application protocol is tested on its own. Delivery is asynchronous, one message
 * at a time, like a router's. Records every packet sent, to check what the servers put on the wire.
 */
final class InMemoryNetwork implements AutoCloseable {

    /** One packet put on the network. */
    record Sent(PeerName source, PeerName destination, boolean broadcast, byte[] packet) {
    }

    private final Map<PeerName, OverlayListener> up = new ConcurrentHashMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "in-memory-network");
        t.setDaemon(true);
        return t;
    });

    Overlay join(PeerName name) {
        return new Node(name);
    }

    List<Sent> sent() {
        return new ArrayList<>(sent);
    }

    /** Delivers a packet as if {@code source} had broadcast it. */
    void injectBroadcast(PeerName source, byte[] packet) {
        for (Map.Entry<PeerName, OverlayListener> peer : up.entrySet()) {
            if (!peer.getKey().equals(source)) {
                delivery.execute(() -> peer.getValue().onBroadcast(source, packet));
            }
        }
    }

    /** Delivers a packet as if {@code source} had sent it to {@code destination}. */
    void injectUnicast(PeerName source, PeerName destination, byte[] packet) {
        OverlayListener listener = up.get(destination);
        if (listener != null) {
            delivery.execute(() -> listener.onUnicast(source, packet));
        }
    }

    /** @return the relay answer of {@code to} to a broadcast by {@code source} that the neighbour {@code via} passed on */
    byte[] broadcastVia(PeerName source, PeerName via, PeerName to, byte[] packet) {
        return up.get(to).onBroadcast(source, via, packet);
    }

    /** Tells every server the topology shows two peers named {@code name}, as the mesh overlay would. */
    void nameCollision(PeerName name) {
        up.values().forEach(listener -> listener.onNameCollision(name));
    }

    /** Tells every server the topology shows one peer named {@code name} again. */
    void nameCollisionResolved(PeerName name) {
        up.values().forEach(listener -> listener.onNameCollisionResolved(name));
    }

    /** @return a broadcast's relay answer as the overlay would get it, synchronously */
    byte[] broadcastAndGetRelay(PeerName source, PeerName to, byte[] packet) {
        return up.get(to).onBroadcast(source, packet);
    }

    @Override
    public void close() {
        delivery.shutdownNow();
    }

    private final class Node implements Overlay {
        private final PeerName name;

        Node(PeerName name) {
            this.name = name;
        }

        @Override
        public void start(OverlayListener listener) {
            up.put(name, listener);
        }

        @Override
        public PeerName self() {
            return name;
        }

        @Override
        public void broadcast(byte[] packet) {
            sent.add(new Sent(name, null, true, packet));
            injectBroadcast(name, packet);
        }

        @Override
        public boolean unicast(PeerName destination, byte[] packet) {
            OverlayListener listener = up.get(destination);
            if (listener == null || destination.equals(name)) {
                return false;
            }
            sent.add(new Sent(name, destination, false, packet));
            delivery.execute(() -> listener.onUnicast(name, packet));
            return true;
        }

        @Override
        public String listenAddress() {
            return "in-memory:" + name;
        }

        @Override
        public int reachablePeers() {
            return up.size() - (up.containsKey(name) ? 1 : 0);
        }

        @Override
        public void stop() {
            up.remove(name);
        }
    }
}
