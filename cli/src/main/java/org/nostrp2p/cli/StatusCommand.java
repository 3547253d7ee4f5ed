package org.nostrp2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code nostrp2p status}: your server's peer name, peers, connections and routes, from its
 * {@code GET /status}, which answers only a request signed with the owner's key (NIP-98).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show your server's peers, connections and routes (signed with your key).")
final class StatusCommand extends ClientCommand {

    @Override
    int run(Session session) {
        JsonNode status = session.rest().status(session.key());
        out().println("server:       " + status.path("name").asText() + nick(status) + "  uid " + status.path("uid").asText());
        JsonNode connections = status.path("connections");
        out().println("connections:  " + connections.size());
        for (JsonNode c : connections) {
            out().println("  " + connection(c));
        }
        JsonNode peers = status.path("peers");
        out().println("peers:        " + peers.size());
        for (JsonNode peer : peers) {
            out().println("  " + peer.path("name").asText() + nick(peer) + "  (" + peer.path("connections").size() + " connections)");
            for (JsonNode c : peer.path("connections")) {
                out().println("      " + connection(c));
            }
        }
        JsonNode routes = status.path("routes");
        out().println("routes:       " + routes.size());
        for (Map.Entry<String, JsonNode> route : routes.properties()) {
            out().println("  " + route.getKey() + " via " + route.getValue().asText());
        }
        return 0;
    }

    private static String nick(JsonNode node) {
        String nick = node.path("nickName").asText("");
        return nick.isEmpty() ? "" : " (" + nick + ")";
    }

    private static String connection(JsonNode c) {
        return (c.path("outbound").asBoolean() ? "→ " : "← ") + c.path("name").asText() + " " + c.path("address").asText()
                + (c.path("established").asBoolean() ? "" : " (connecting)");
    }
}
