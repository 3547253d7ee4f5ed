package org.nostrp2p.rest;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

/**
 * CORS for any origin. Every answer, errors included, carries
 * {@code Access-Control-Allow-Private-Network: true}: browsers' private-network checks need
 * it on the preflight too (the Go server omits it there).
 */
final class Cors {

    static final HttpString ALLOW_ORIGIN = HttpString.tryFromString("Access-Control-Allow-Origin");
    static final HttpString ALLOW_PRIVATE_NETWORK = HttpString.tryFromString("Access-Control-Allow-Private-Network");
    static final HttpString ALLOW_METHODS = HttpString.tryFromString("Access-Control-Allow-Methods");
    static final HttpString ALLOW_HEADERS = HttpString.tryFromString("Access-Control-Allow-Headers");
    static final HttpString ALLOW_CREDENTIALS = HttpString.tryFromString("Access-Control-Allow-Credentials");
    static final HttpString MAX_AGE = HttpString.tryFromString("Access-Control-Max-Age");
    static final HttpString REQUEST_HEADERS = HttpString.tryFromString("Access-Control-Request-Headers");
    static final HttpString ORIGIN = HttpString.tryFromString("Origin");
    static final HttpString VARY = HttpString.tryFromString("Vary");

    /** What the Flutter client sends, and what the Go server allows, when a preflight names none. */
    static final String DEFAULT_ALLOWED_HEADERS = "Accept, Accept-Encoding, Content-Type, Access-Control-Request-Headers, "
            + "Access-Control-Request-Method, Access-Control-Request-Private-Network, Origin, Referer, User-Agent";

    private Cors() {
    }

    /** Adds the headers every answer carries. */
    static void decorate(HttpServerExchange exchange) {
        HeaderMap out = exchange.getResponseHeaders();
        String origin = exchange.getRequestHeaders().getFirst(ORIGIN);
        if (origin == null) {
            out.put(ALLOW_ORIGIN, "*");
        } else {
            // Echoing the origin (not "*") also admits a client that sends credentials.
            out.put(ALLOW_ORIGIN, origin);
            out.put(ALLOW_CREDENTIALS, "true");
            out.add(VARY, "Origin");
        }
        out.put(ALLOW_PRIVATE_NETWORK, "true");
    }

    /** Adds what a preflight answer carries beyond {@link #decorate}. */
    static void decoratePreflight(HttpServerExchange exchange) {
        HeaderMap out = exchange.getResponseHeaders();
        out.put(ALLOW_METHODS, "GET, POST, OPTIONS");
        String requested = exchange.getRequestHeaders().getFirst(REQUEST_HEADERS);
        out.put(ALLOW_HEADERS, requested == null || requested.isBlank() ? DEFAULT_ALLOWED_HEADERS : requested);
        out.put(MAX_AGE, "3600");
    }
}
