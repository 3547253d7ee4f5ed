package org.nostrp2p.rest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.codec.Np2pCodec;

/**
 * Encoded answers to recent-events queries, kept while the backend's
 * {@link RestBackend#generation()} stays the same and for at most {@link #MAX_AGE_NANOS}
 * (the store also changes by itself, when retention evicts). Clients polling the same
 * timeline then cost a map lookup, not a query, an encoding and a gzip. Bounded; thread-safe.
 */
final class AnswerCache {

    static final int MAX_ENTRIES = 64;
    static final long MAX_AGE_NANOS = 2_000_000_000L;

    private record Answer(long generation, long madeAt, byte[] plain, byte[] gzipped) {
    }

    private final RestBackend backend;
    private final Map<ReqFilter, Answer> answers = new ConcurrentHashMap<>();

    AnswerCache(RestBackend backend) {
        this.backend = backend;
    }

    /** @return the encoded answer (gzipped or not), or null when the backend does not allow caching */
    byte[] answer(ReqFilter filter, boolean gzip) {
        long generation = backend.generation();
        if (generation < 0) {
            return null;
        }
        long now = System.nanoTime();
        Answer cached = answers.get(filter);
        if (cached == null || cached.generation() != generation || now - cached.madeAt() > MAX_AGE_NANOS) {
            List<Event> events = backend.query(filter);
            byte[] plain = Np2pCodec.encodeEventsResp(events.stream().map(Event::withoutSig).toList());
            cached = new Answer(generation, now, plain, ApiHandler.gzip(plain));
            if (answers.size() >= MAX_ENTRIES) {
                answers.clear();
            }
            answers.put(filter, cached);
        }
        return gzip ? cached.gzipped() : cached.plain();
    }
}
