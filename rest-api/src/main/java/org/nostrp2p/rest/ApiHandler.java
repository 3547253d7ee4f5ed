package org.nostrp2p.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.CodecException;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /publish} and {@code POST /req}, with CORS on every answer. Runs the work on
 * Undertow's worker threads; bodies are read with a cap and never trusted.
 */
final class ApiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SUCCESS = "{\"Status\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8);

    private final RestBackend backend;
    private final boolean writable;
    private final int maxBodyBytes;
    private final AnswerCache cache;

    ApiHandler(RestBackend backend, boolean writable, int maxBodyBytes) {
        this.backend = backend;
        this.writable = writable;
        this.maxBodyBytes = maxBodyBytes;
        this.cache = new AnswerCache(backend);
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
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::handleOnWorker);
        } else {
            handleOnWorker(exchange);
        }
    }

    private void handleOnWorker(HttpServerExchange exchange) {
        try {
            exchange.startBlocking();
            String body = readBody(exchange);
            if (body == null) {
                return;
            }
            if (exchange.getRelativePath().equals("/publish")) {
                publish(exchange, body);
            } else {
                req(exchange, body);
            }
        } catch (StoreException e) {
            LOG.error("The store failed while answering {}: {}", exchange.getRelativePath(), e.getMessage());
            error(exchange, 500, "the server could not read or write its store: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure answering {}", exchange.getRelativePath(), e);
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
            List<Event> events = backend.query(filter);
            answer = Np2pCodec.encodeEventsResp(events.stream().map(Event::withoutSig).toList());
            if (gzip) {
                answer = gzip(answer);
            }
        }
        exchange.getResponseHeaders().add(Cors.VARY, "Accept-Encoding");
        if (gzip) {
            exchange.getResponseHeaders().put(Headers.CONTENT_ENCODING, "gzip");
        }
        send(exchange, 200, "application/octet-stream", answer);
    }

    /** @return the body as UTF-8, or null when an error was answered */
    private String readBody(HttpServerExchange exchange) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (InputStream in = exchange.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                buffer.write(chunk, 0, n);
                if (buffer.size() > maxBodyBytes) {
                    tooLarge(exchange);
                    return null;
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not read a request body from {}: {}", exchange.getSourceAddress(), e.toString());
            exchange.setPersistent(false);
            error(exchange, 400, "could not read the request body: " + e.getMessage());
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer.toByteArray())).toString();
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
            LOG.warn("Answering {} {} to {}: {}", status, exchange.getRelativePath(), exchange.getSourceAddress(), reason);
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
