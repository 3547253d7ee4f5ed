package org.nostrp2p.rest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.codec.Np2pCodec;

/**
 * Makes {@code /req} answers within a memory budget: at most {@link #CONCURRENT_QUERIES}
 * queries load events at once, and one asking for more than {@link #LARGE_QUERY_EVENTS} runs
 * alone (a {@code limit 1000} query over large posts holds tens of MB until it is encoded), and an answer holds at most {@code maxAnswerBytes} of events: the
 * newest that fit (events come oldest first). Thread-safe; blocks the calling worker while
 * the other queries run, up to {@link #QUEUE_WAIT_SECONDS}, and no more than
 * {@link #MAX_WAITING} wait at once (the next get {@code 503} without waiting).
 */
final class AnswerMaker {

    /** Queries loading events at the same time. */
    static final int CONCURRENT_QUERIES = 2;
    /** A query asking for more events than this runs alone (it may load tens of MB). */
    static final int LARGE_QUERY_EVENTS = 300;
    /** How long a request waits for its turn before it is answered 503. */
    static final long QUEUE_WAIT_SECONDS = 10;
    /**
     * Requests waiting for a turn at most (each holds a worker thread while it waits); more
     * are answered 503 at once, so that waiting queries never take every worker and a
     * {@code /publish} always finds one.
     */
    static final int MAX_WAITING = 6;
    /** What an event costs in an answer beyond its content and tags (keys, id, pubkey, numbers). */
    static final int EVENT_OVERHEAD_BYTES = 160;

    /** Thrown when a query waited too long for its turn; the client should retry later. */
    static final class BusyException extends RuntimeException {
        BusyException(String message) {
            super(message, null, false, false);
        }
    }

    private final RestBackend backend;
    private final int maxAnswerBytes;
    // Not fair: a small query may pass a large one waiting for both permits.
    private final Semaphore queries = new Semaphore(CONCURRENT_QUERIES);
    private final AtomicInteger waiting = new AtomicInteger();

    AnswerMaker(RestBackend backend, int maxAnswerBytes) {
        this.backend = backend;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /** @return the encoded answer, gzipped when asked */
    byte[] make(ReqFilter filter, boolean gzip) {
        int permits = filter.limit() != null && filter.limit() > LARGE_QUERY_EVENTS ? CONCURRENT_QUERIES : 1;
        if (!queries.tryAcquire(permits)) {
            if (waiting.incrementAndGet() > MAX_WAITING) {
                waiting.decrementAndGet();
                throw new BusyException("the server is busy answering other queries");
            }
            try {
                if (!queries.tryAcquire(permits, QUEUE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new BusyException("the server is busy answering other queries");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BusyException("interrupted while waiting for a turn");
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            List<Event> events = newestThatFit(backend.query(filter), maxAnswerBytes);
            byte[] plain = Np2pCodec.encodeEventsResp(events.stream().map(Event::withoutSig).toList());
            return gzip ? ApiHandler.gzip(plain) : plain;
        } finally {
            queries.release(permits);
        }
    }

    /** @return the longest tail of {@code events} whose estimated encoding fits {@code maxBytes} */
    static List<Event> newestThatFit(List<Event> events, int maxBytes) {
        long total = 0;
        int from = events.size();
        while (from > 0) {
            long size = encodedSize(events.get(from - 1));
            if (total + size > maxBytes) {
                break;
            }
            total += size;
            from--;
        }
        return from == 0 ? events : events.subList(from, events.size());
    }

    static long encodedSize(Event event) {
        long size = EVENT_OVERHEAD_BYTES + utf8Length(event.content());
        for (List<String> tag : event.tags()) {
            size += 2;
            for (String value : tag) {
                size += 5 + utf8Length(value);
            }
        }
        return size;
    }

    private static long utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        long length = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                length = s.getBytes(StandardCharsets.UTF_8).length;
                break;
            }
        }
        return length;
    }
}
