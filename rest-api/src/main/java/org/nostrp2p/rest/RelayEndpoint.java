package org.nostrp2p.rest;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.nostrp2p.rest.relay.Relay;
import org.nostrp2p.rest.relay.RelayInformation;

/**
 * What {@code /} of the REST port answers before anything else: a WebSocket upgrade goes to
 * the NIP-01 {@link Relay}; {@code GET} with {@code Accept: application/nostr+json} gets the
 * NIP-11 document (with CORS); everything else goes on to {@code next}.
 */
final class RelayEndpoint implements HttpHandler {

    static final String NOSTR_JSON = "application/nostr+json";

    private final HttpHandler next;
    private final HttpHandler upgrade;
    private final byte[] information;

    RelayEndpoint(Relay relay, RelayInformation information, HttpHandler next) {
        this.next = next;
        this.upgrade = new WebSocketProtocolHandshakeHandler(relay, next);
        this.information = information.toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRelativePath().equals("/")) {
            next.handleRequest(exchange);
            return;
        }
        String connectionUpgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        if (connectionUpgrade != null && connectionUpgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
            upgrade.handleRequest(exchange);
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst(Headers.ACCEPT);
        if (accept != null && accept.toLowerCase(Locale.ROOT).contains(NOSTR_JSON)
                && (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD))) {
            Cors.decorate(exchange);
            exchange.getResponseHeaders().add(Cors.VARY, "Accept");
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, NOSTR_JSON);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, information.length);
            exchange.getResponseSender().send(ByteBuffer.wrap(information));
            return;
        }
        next.handleRequest(exchange);
    }
}
