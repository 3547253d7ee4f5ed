package org.nostrp2p.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /status}: the overlay as this server sees it (a {@link ServerStatus} as JSON),
 * for its owner only, proved by a NIP-98 header ({@link Nip98Auth}). Other requests go to
 * the next handler.
 */
final class StatusHandler implements HttpHandler {

    /** The path served. */
    static final String PATH = "/status";

    private static final Logger LOG = LoggerFactory.getLogger(StatusHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestBackend backend;
    private final HttpHandler next;
    private final Clock clock;

    StatusHandler(RestBackend backend, HttpHandler next, Clock clock) {
        this.backend = backend;
        this.next = next;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRelativePath().equals(PATH) || exchange.getRequestMethod().equals(Methods.OPTIONS)) {
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            // Verifying a signature and reading the router's state are not for an I/O thread.
            exchange.dispatch(this);
            return;
        }
        Cors.decorate(exchange);
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, OPTIONS");
            ApiHandler.error(exchange, 405, PATH + " takes GET");
            return;
        }
        String owner = backend.ownerPublicKeyHex();
        if (owner == null) {
            ApiHandler.error(exchange, 404, "this server has no status to show");
            return;
        }
        String query = exchange.getQueryString();
        String pathAndQuery = exchange.getRequestPath() + (query == null || query.isEmpty() ? "" : "?" + query);
        try {
            new Nip98Auth(owner, clock).check(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION), "GET",
                    exchange.getRequestHeaders().getFirst(Headers.HOST), pathAndQuery);
        } catch (Nip98Auth.Refused refused) {
            if (refused.status == 401) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Nostr");
            }
            ApiHandler.error(exchange, refused.status, refused.getMessage());
            return;
        }
        ServerStatus status;
        try {
            status = backend.status();
        } catch (RuntimeException e) {
            LOG.warn("Could not read the server's status: {}", e.toString());
            status = null;
        }
        if (status == null) {
            ApiHandler.error(exchange, 503, "the server cannot tell its status now (is the overlay running?)");
            return;
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(status);
        } catch (JsonProcessingException e) {
            ApiHandler.error(exchange, 500, "could not write the status: " + e.getMessage());
            return;
        }
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ApiHandler.send(exchange, 200, "application/json", body);
    }
}
