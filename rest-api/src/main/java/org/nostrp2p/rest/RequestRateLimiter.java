package org.nostrp2p.rest;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests per second per client address ({@link ClientAddress}): a token bucket of
 * {@link RestLimits#requestBurst()} tokens refilled at {@link RestLimits#requestsPerSecond()};
 * a request finding it empty is answered {@code 429 Too Many Requests} with
 * {@code Retry-After} (whole seconds until a token is back) and the CORS headers a browser
 * needs to read it, without reaching the next handler. Runs on the I/O thread; O(1) per
 * request. At most {@link #MAX_TRACKED_ADDRESSES} buckets are kept; past that, full (idle)
 * buckets are forgotten, and when none is idle the newcomers share one bucket.
 */
final class RequestRateLimiter implements HttpHandler {

    /** Buckets kept before idle ones are forgotten. */
    static final int MAX_TRACKED_ADDRESSES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RequestRateLimiter.class);
    private static final RateLimitedLog LIMITED = new RateLimitedLog(LOG);
    private static final String SHARED = "(addresses past the tracked limit)";

    private final class Bucket {
        private double tokens = burst;
        private long filledAt = clock.getAsLong();

        /** @return 0 when a token was taken, else the nanoseconds until one is back */
        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / ratePerNano);
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - filledAt) * ratePerNano);
            filledAt = now;
        }
    }

    private final HttpHandler next;
    private final double burst;
    private final double ratePerNano;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RequestRateLimiter(HttpHandler next, RestLimits limits) {
        this(next, limits, System::nanoTime);
    }

    RequestRateLimiter(HttpHandler next, RestLimits limits, LongSupplier nanoClock) {
        this.next = next;
        this.burst = limits.requestBurst();
        this.ratePerNano = limits.requestsPerSecond() / 1e9;
        this.clock = nanoClock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String address = ClientAddress.key(exchange.getSourceAddress());
        long waitNanos = bucket(address).take(clock.getAsLong());
        if (waitNanos == 0) {
            next.handleRequest(exchange);
            return;
        }
        long retryAfterSeconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        LIMITED.warn("too many requests", address,
                "REST: {} sends more than {} requests/s (burst {}); answering 429", address, ratePerNano * 1e9, (long) burst);
        tooManyRequests(exchange, retryAfterSeconds);
    }

    private Bucket bucket(String address) {
        Bucket bucket = buckets.get(address);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= MAX_TRACKED_ADDRESSES) {
            long now = clock.getAsLong();
            for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
                if (it.next().isFull(now)) {
                    it.remove();
                }
            }
            if (buckets.size() >= MAX_TRACKED_ADDRESSES) {
                return buckets.computeIfAbsent(SHARED, a -> new Bucket());
            }
        }
        return buckets.computeIfAbsent(address, a -> new Bucket());
    }

    private static void tooManyRequests(HttpServerExchange exchange, long retryAfterSeconds) {
        Cors.decorate(exchange);
        boolean mayHaveBody = exchange.getRequestContentLength() != 0 && !exchange.getRequestMethod().equals(Methods.OPTIONS)
                && !exchange.getRequestMethod().equals(Methods.GET);
        if (mayHaveBody) {
            // The body is not read: close after answering rather than drain what a flooder sends.
            exchange.setPersistent(false);
        }
        byte[] body = ("{\"Status\":\"ERROR\",\"Error\":\"too many requests; retry after " + retryAfterSeconds + " s\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(429);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(retryAfterSeconds));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
