package org.nostrp2p.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.CodecException;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /publish} and {@code POST /req}, with CORS on every answer. Bodies are received
 * on the I/O thread without blocking ({@link BodyReceiver}), with a cap and a deadline, and
 * never trusted; the work then runs on Undertow's worker threads. {@code /req} answers are
 * made within a memory budget ({@link AnswerMaker}, {@link AnswerCache}).
 */
final class ApiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** Server-side failures, which a client can provoke over and over: one line a minute per cause and client. */
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SUCCESS = "{\"Status\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8);

    private final RestBackend backend;
    private final boolean writable;
    private final int maxBodyBytes;
    private final long bodyDeadlineMillis;
    private final AnswerMaker maker;
    private final AnswerCache cache;

    ApiHandler(RestBackend backend, boolean writable, int maxBodyBytes) {
        this(backend, writable, maxBodyBytes, RestLimits.defaults());
    }

    ApiHandler(RestBackend backend, boolean writable, int maxBodyBytes, RestLimits limits) {
        this.backend = backend;
        this.writable = writable;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyDeadlineMillis = limits.bodyTimeout().toMillis();
        this.maker = new AnswerMaker(backend, limits.maxAnswerBytes());
        this.cache = new AnswerCache(backend, maker, limits.answerCacheBytes());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Cors.decorate(exchange);
        if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
            Cors.decoratePreflight(exchange);
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, "0");
            exchange.endExchange();
            return;
        }
        String path = exchange.getRelativePath();
        boolean publish = path.equals("/publish");
        if (!publish && !path.equals("/req")) {
            error(exchange, 404, "no such endpoint: " + path + " (there are POST /publish and POST /req)");
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST, OPTIONS");
            error(exchange, 405, path + " takes POST");
            return;
        }
        if (publish && !writable) {
            exchange.setPersistent(false);
            error(exchange, 406, "this server refuses writes (it was started with -w false)");
            return;
        }
        if (exchange.getRequestContentLength() > maxBodyBytes) {
            tooLarge(exchange);
            return;
        }
        if (publish && !isJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))) {
            // A page of any origin may POST text/plain, a form or a typeless body without a CORS
            // preflight; application/json needs one. Refusing the rest keeps publishing to
            // what a preflight allowed (the events must still be signed by the user).
            exchange.setPersistent(false);
            error(exchange, 415, "POST /publish takes a body of type application/json");
            return;
        }
        BodyReceiver.receive(exchange, maxBodyBytes, bodyDeadlineMillis,
                (ex, bytes) -> ex.dispatch(() -> handleOnWorker(ex, bytes)), this::tooLarge);
    }

    private void handleOnWorker(HttpServerExchange exchange, byte[] bytes) {
        try {
            String body = utf8(exchange, bytes);
            if (body == null) {
                return;
            }
            if (exchange.getRelativePath().equals("/publish")) {
                publish(exchange, body);
            } else {
                req(exchange, body);
            }
        } catch (AnswerMaker.BusyException e) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
            error(exchange, 503, e.getMessage());
        } catch (StoreException e) {
            FAILURES.warn("store failed", ClientAddress.key(exchange.getSourceAddress()),
                    "The store failed while answering {}: {}", exchange.getRelativePath(), e.getMessage());
            error(exchange, 500, "the server could not read or write its store: " + e.getMessage());
        } catch (RuntimeException e) {
            FAILURES.warn("unexpected " + e.getClass().getName(), ClientAddress.key(exchange.getSourceAddress()),
                    "Unexpected failure answering {}", exchange.getRelativePath(), e);
            error(exchange, 500, "internal error: " + e);
        }
    }

    private void publish(HttpServerExchange exchange, String body) {
        Event event;
        try {
            event = EventJson.parse(body);
        } catch (CodecException | IllegalArgumentException e) {
            error(exchange, 400, "malformed event: " + e.getMessage());
            return;
        }
        if (!Arrays.equals(event.id(), Events.computeId(event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content()))) {
            error(exchange, 400, "the event's id is not the hash of its content (NIP-01)");
            return;
        }
        if (event.sig() == null || !Events.verify(event)) {
            error(exchange, 400, "invalid signature");
            return;
        }
        PublishResult result = backend.publish(event);
        if (result.isStored()) {
            send(exchange, 200, "application/json", SUCCESS);
        } else {
            error(exchange, result.status(), result.reason());
        }
    }

    private void req(HttpServerExchange exchange, String body) {
        ReqFilter filter;
        try {
            filter = ReqFilter.parse(body);
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        boolean gzip = acceptsGzip(exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING));
        byte[] answer = filter.hasKind(ReqFilter.KIND_RECENT_EVENTS) ? cache.answer(filter, gzip) : null;
        if (answer == null) {
            answer = maker.make(filter, gzip);
        }
        exchange.getResponseHeaders().add(Cors.VARY, "Accept-Encoding");
        if (gzip) {
            exchange.getResponseHeaders().put(Headers.CONTENT_ENCODING, "gzip");
        }
        send(exchange, 200, "application/octet-stream", answer);
    }

    /** @return the body as UTF-8, or null when an error was answered */
    private static String utf8(HttpServerExchange exchange, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            error(exchange, 400, "the request body is not UTF-8");
            return null;
        }
    }

    private void tooLarge(HttpServerExchange exchange) {
        // The rest of an oversize body is never read: close the connection after answering.
        exchange.setPersistent(false);
        error(exchange, 413, "the request body is larger than " + maxBodyBytes + " bytes");
    }

    /** @return whether a Content-Type header names application/json (parameters such as charset allowed) */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            double q = 1.0;
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].trim();
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (q > 0) {
                return true;
            }
        }
        return false;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void error(HttpServerExchange exchange, int status, String reason) {
        if (status >= 500) {
            FAILURES.warn("answer " + status, ClientAddress.key(exchange.getSourceAddress()),
                    "Answering {} {} to {}: {}", status, exchange.getRelativePath(), exchange.getSourceAddress(), reason);
        } else {
            LOG.debug("Answering {} {} to {}: {}", status, exchange.getRelativePath(), exchange.getSourceAddress(), reason);
        }
        // "Error" is the key the Go server's answers use; "Status" mirrors the success answer.
        ObjectNode body = JSON.createObjectNode().put("Status", "ERROR").put("Error", reason);
        send(exchange, status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpServerExchange exchange, int status, String contentType, byte[] body) {
        if (exchange.isResponseStarted()) {
            return;
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
