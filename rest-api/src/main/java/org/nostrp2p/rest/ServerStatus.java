package org.nostrp2p.rest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code GET /status} answers: this server's place in the overlay, as the web client's
 * network page and the {@code status} command show it. Names are mesh peer names
 * ({@code aa:bb:cc:dd:ee:ff}). Immutable.
 *
 * @param name        this server's peer name
 * @param nickName    its nickname
 * @param uid         its overlay UID (random per start), in decimal
 * @param peers       every peer it knows, itself included, with their connections as gossiped
 * @param connections its own connections
 * @param routes      unicast routes: destination peer name to next-hop peer name
 */
public record ServerStatus(String name, String nickName, String uid, List<Peer> peers,
                           List<Link> connections, Map<String, String> routes) {

    /** Copies the lists and the map. */
    public ServerStatus {
        Objects.requireNonNull(name, "name");
        peers = List.copyOf(peers);
        connections = List.copyOf(connections);
        // Sorted, so that the JSON and a printed status read the same from one call to the next.
        routes = Collections.unmodifiableMap(new TreeMap<>(routes));
    }

    /**
     * A peer of the overlay.
     *
     * @param name        its peer name
     * @param nickName    its nickname, possibly empty
     * @param connections its connections as it last described them
     */
    public record Peer(String name, String nickName, List<Link> connections) {
        /** Copies the list. */
        public Peer {
            connections = List.copyOf(connections);
        }
    }

    /**
     * A connection between two peers.
     *
     * @param name        the remote peer's name
     * @param address     the remote address, {@code host:port}
     * @param outbound    whether the describing peer dialled
     * @param established whether the handshake and heartbeats completed
     */
    public record Link(String name, String address, boolean outbound, boolean established) {
    }
}
