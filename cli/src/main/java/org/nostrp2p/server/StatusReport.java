package org.nostrp2p.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.overlay.RouterStatus;
import org.nostrp2p.rest.ServerStatus;

/** Turns a router's status into what {@code GET /status} answers (names as text, no internals). */
final class StatusReport {

    private StatusReport() {
    }

    /** @return the REST view of {@code status}, or null when there is none (the overlay is not running) */
    static ServerStatus of(RouterStatus status) {
        if (status == null) {
            return null;
        }
        List<ServerStatus.Peer> peers = new ArrayList<>();
        for (RouterStatus.PeerStatus peer : status.peers()) {
            List<ServerStatus.Link> links = new ArrayList<>();
            for (RouterStatus.PeerLink c : peer.connections()) {
                links.add(new ServerStatus.Link(c.name().toString(), c.address(), c.outbound(), c.established()));
            }
            peers.add(new ServerStatus.Peer(peer.name().toString(), nullToEmpty(peer.nickName()), links));
        }
        List<ServerStatus.Link> connections = new ArrayList<>();
        for (RouterStatus.ConnectionStatus c : status.connections()) {
            connections.add(new ServerStatus.Link(c.name() == null ? "" : c.name().toString(), c.address(), c.outbound(), c.established()));
        }
        Map<String, String> routes = new LinkedHashMap<>();
        status.unicastRoutes().forEach((destination, hop) -> routes.put(destination.toString(), hop.toString()));
        return new ServerStatus(status.name().toString(), nullToEmpty(status.nickName()),
                Long.toUnsignedString(status.uid()), peers, connections, routes);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
