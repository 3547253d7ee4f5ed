package org.nostrp2p.rest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encoded answers to recent-events queries, kept while the backend's
 * {@link RestBackend#generation()} stays the same and for at most {@link #MAX_AGE_NANOS}
 * (the store also changes by itself, when retention evicts). Clients polling the same
 * timeline then cost a map lookup, not a query, an encoding and a gzip.
 *
 * <p>Bounded by bytes: at most {@code capacityBytes} of answers (least recently used go
 * first), no single answer above half of it. Requests asking the same thing while it
 * is being made wait for that one answer instead of making their own, so 64 clients polling
 * {@code limit 1000} cost one query and one answer's memory. Thread-safe.
 */
final class AnswerCache {

    static final long MAX_AGE_NANOS = 2_000_000_000L;

    private record Key(ReqFilter filter, boolean gzip) {
    }

    private record Answer(long generation, long madeAt, byte[] bytes) {
    }

    private final RestBackend backend;
    private final AnswerMaker maker;
    private final long capacityBytes;
    private final Map<Key, Answer> answers = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Key, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();
    private long bytes;

    AnswerCache(RestBackend backend, AnswerMaker maker, long capacityBytes) {
        this.backend = backend;
        this.maker = maker;
        this.capacityBytes = capacityBytes;
    }

    /** @return the encoded answer (gzipped or not), or null when the backend does not allow caching */
    byte[] answer(ReqFilter filter, boolean gzip) {
        long generation = backend.generation();
        if (generation < 0) {
            return null;
        }
        Key key = new Key(filter, gzip);
        long now = System.nanoTime();
        synchronized (this) {
            Answer cached = answers.get(key);
            if (cached != null && cached.generation() == generation && now - cached.madeAt() <= MAX_AGE_NANOS) {
                return cached.bytes();
            }
        }
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join().bytes();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            byte[] bytes = maker.make(filter, gzip);
            // Aged from when it was made: a slow store must not make every answer stale on arrival.
            Answer made = new Answer(generation, System.nanoTime(), bytes);
            keep(key, made);
            mine.complete(made);
            return made.bytes();
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private synchronized void keep(Key key, Answer answer) {
        Answer replaced = answers.remove(key);
        if (replaced != null) {
            bytes -= replaced.bytes().length;
        }
        if (answer.bytes().length > capacityBytes / 2) {
            return;
        }
        answers.put(key, answer);
        bytes += answer.bytes().length;
        for (Iterator<Answer> eldest = answers.values().iterator(); bytes > capacityBytes && eldest.hasNext(); ) {
            bytes -= eldest.next().bytes().length;
            eldest.remove();
        }
    }

    /** @return bytes of answers kept now */
    synchronized long bytes() {
        return bytes;
    }
}
