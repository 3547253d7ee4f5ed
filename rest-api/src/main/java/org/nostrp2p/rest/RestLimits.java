package org.nostrp2p.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of the server one HTTP client, and all of them together, may take: connections,
 * requests per second, time to send headers and bodies, idle time, answer bytes, and the
 * file descriptors the process keeps in reserve. The defaults suit a personal server (one
 * owner, a few devices, a browser or two); see docs/operator-guide.md, "Defences".
 *
 * <p>Immutable; change a setting with a {@code withX} copy:
 * <pre>{@code
 * RestLimits limits = RestLimits.defaults().withRequestsPerSecond(20).withConnectionsPerAddress(8);
 * }</pre>
 *
 * <p>A "client address" is an IPv4 address, or the /64 prefix of an IPv6 address (one host
 * usually owns a whole /64, so counting single IPv6 addresses would count nothing).
 *
 * @param connections            connections open at once, all clients together; past it new ones are closed at once
 * @param connectionsPerAddress  connections open at once from one client address
 * @param requestsPerSecond      sustained requests per second from one client address; more get 429 with Retry-After
 * @param requestBurst           requests one client address may send at once above the sustained rate
 * @param headerTimeout          time a client has to send a request's headers once it started
 * @param bodyTimeout            time a request's whole body has to arrive once its headers did; then the connection is closed
 * @param idleTimeout            time a connection may stay open with no request (a new one that sends nothing too), and the
 *                               longest pause in reading or writing (a client that stops reading its answer)
 * @param answerCacheBytes       bytes of encoded answers kept for polling clients (plain and gzipped counted)
 * @param maxAnswerBytes         the largest {@code /req} answer; the newest events that fit are sent
 * @param fileDescriptorReserve  file descriptors kept free for the store, the overlay and the log: when fewer remain below the
 *                               process limit, new connections are closed quietly
 */
public record RestLimits(int connections, int connectionsPerAddress, double requestsPerSecond, int requestBurst,
                         Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout,
                         long answerCacheBytes, int maxAnswerBytes, int fileDescriptorReserve) {

    /** Connections, all clients together, unless changed. */
    public static final int DEFAULT_CONNECTIONS = 256;
    /** Connections from one client address, unless changed (a browser opens up to 6 per host). */
    public static final int DEFAULT_CONNECTIONS_PER_ADDRESS = 24;
    /** Sustained requests per second from one client address, unless changed. */
    public static final double DEFAULT_REQUESTS_PER_SECOND = 50;
    /** Burst above the sustained rate, unless changed: a client opening a timeline asks for many profiles at once. */
    public static final int DEFAULT_REQUEST_BURST = 200;
    /** Headers must arrive within this, unless changed. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** A whole body must arrive within this, unless changed. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** A connection without a request is closed after this, unless changed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Bytes of cached answers, unless changed. */
    public static final long DEFAULT_ANSWER_CACHE_BYTES = 16L * 1024 * 1024;
    /** The largest answer, unless changed. */
    public static final int DEFAULT_MAX_ANSWER_BYTES = 4 * 1024 * 1024;
    /** File descriptors kept free, unless changed. */
    public static final int DEFAULT_FILE_DESCRIPTOR_RESERVE = 128;

    /** Checks every setting. */
    public RestLimits {
        positive("connections", connections);
        positive("connectionsPerAddress", connectionsPerAddress);
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be positive, got " + requestsPerSecond);
        }
        positive("requestBurst", requestBurst);
        positive("headerTimeout", Objects.requireNonNull(headerTimeout, "headerTimeout").toMillis());
        positive("bodyTimeout", Objects.requireNonNull(bodyTimeout, "bodyTimeout").toMillis());
        positive("idleTimeout", Objects.requireNonNull(idleTimeout, "idleTimeout").toMillis());
        if (answerCacheBytes < 0) {
            throw new IllegalArgumentException("answerCacheBytes must not be negative, got " + answerCacheBytes);
        }
        if (maxAnswerBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxAnswerBytes must be at least 64 KiB, got " + maxAnswerBytes);
        }
        if (fileDescriptorReserve < 0) {
            throw new IllegalArgumentException("fileDescriptorReserve must not be negative, got " + fileDescriptorReserve);
        }
    }

    /** @return the defaults for a personal server */
    public static RestLimits defaults() {
        return new RestLimits(DEFAULT_CONNECTIONS, DEFAULT_CONNECTIONS_PER_ADDRESS, DEFAULT_REQUESTS_PER_SECOND,
                DEFAULT_REQUEST_BURST, DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_ANSWER_CACHE_BYTES, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_FILE_DESCRIPTOR_RESERVE);
    }

    /** The prefix of the system properties {@link #overriddenBySystemProperties()} reads. */
    public static final String PROPERTY_PREFIX = "nostrp2p.rest.";

    /**
     * @return these limits with any of them given as a system property instead:
     *     {@code nostrp2p.rest.connections}, {@code .connectionsPerAddress},
     *     {@code .requestsPerSecond}, {@code .requestBurst}, {@code .headerTimeoutSeconds},
     *     {@code .bodyTimeoutSeconds}, {@code .idleTimeoutSeconds}, {@code .answerCacheBytes},
     *     {@code .maxAnswerBytes}, {@code .fileDescriptorReserve}
     *     (e.g. {@code JAVA_OPTS=-Dnostrp2p.rest.requestsPerSecond=100000} for a load test)
     * @throws IllegalArgumentException when a property is not a number in range
     */
    public RestLimits overriddenBySystemProperties() {
        return new RestLimits(
                (int) property("connections", connections),
                (int) property("connectionsPerAddress", connectionsPerAddress),
                property("requestsPerSecond", requestsPerSecond),
                (int) property("requestBurst", requestBurst),
                Duration.ofMillis((long) (1000 * property("headerTimeoutSeconds", headerTimeout.toMillis() / 1000.0))),
                Duration.ofMillis((long) (1000 * property("bodyTimeoutSeconds", bodyTimeout.toMillis() / 1000.0))),
                Duration.ofMillis((long) (1000 * property("idleTimeoutSeconds", idleTimeout.toMillis() / 1000.0))),
                (long) property("answerCacheBytes", answerCacheBytes),
                (int) property("maxAnswerBytes", maxAnswerBytes),
                (int) property("fileDescriptorReserve", fileDescriptorReserve));
    }

    private static double property(String name, double fallback) {
        String value = System.getProperty(PROPERTY_PREFIX + name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY_PREFIX + name + " must be a number, got \"" + value + "\"");
        }
    }

    /** @return a copy with this total connection cap */
    public RestLimits withConnections(int value) {
        return new RestLimits(value, connectionsPerAddress, requestsPerSecond, requestBurst, headerTimeout, bodyTimeout,
                idleTimeout, answerCacheBytes, maxAnswerBytes, fileDescriptorReserve);
    }

    /** @return a copy with this per-address connection cap */
    public RestLimits withConnectionsPerAddress(int value) {
        return new RestLimits(connections, value, requestsPerSecond, requestBurst, headerTimeout, bodyTimeout,
                idleTimeout, answerCacheBytes, maxAnswerBytes, fileDescriptorReserve);
    }

    /** @return a copy with this sustained rate and burst per address */
    public RestLimits withRequestsPerSecond(double rate, int burst) {
        return new RestLimits(connections, connectionsPerAddress, rate, burst, headerTimeout, bodyTimeout,
                idleTimeout, answerCacheBytes, maxAnswerBytes, fileDescriptorReserve);
    }

    /** @return a copy with these header, body and idle timeouts */
    public RestLimits withTimeouts(Duration header, Duration body, Duration idle) {
        return new RestLimits(connections, connectionsPerAddress, requestsPerSecond, requestBurst, header, body,
                idle, answerCacheBytes, maxAnswerBytes, fileDescriptorReserve);
    }

    /** @return a copy with this answer cache size and largest answer */
    public RestLimits withAnswerBytes(long cacheBytes, int maxAnswer) {
        return new RestLimits(connections, connectionsPerAddress, requestsPerSecond, requestBurst, headerTimeout,
                bodyTimeout, idleTimeout, cacheBytes, maxAnswer, fileDescriptorReserve);
    }

    /** @return a copy keeping this many file descriptors free */
    public RestLimits withFileDescriptorReserve(int value) {
        return new RestLimits(connections, connectionsPerAddress, requestsPerSecond, requestBurst, headerTimeout,
                bodyTimeout, idleTimeout, answerCacheBytes, maxAnswerBytes, value);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
