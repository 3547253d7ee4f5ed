package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.crypto.SecretKey;

/** An answer holds the newest events that fit its byte budget. */
class AnswerMakerTest {

    private final SecretKey author = SecretKey.generate();

    private List<Event> oldestFirst(int count, int contentChars) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(Events.sign(author, 1_700_000_000L + i, 1, List.of(List.of("t", "tag" + i)), "é".repeat(contentChars / 2)));
        }
        return events;
    }

    @Test
    void theNewestEventsThatFitAreKeptAndTheirEncodingFitsTheBudget() {
        List<Event> events = oldestFirst(100, 10_000);
        int budget = 256 * 1024;

        List<Event> kept = AnswerMaker.newestThatFit(events, budget);

        assertTrue(kept.size() < events.size() && !kept.isEmpty(), kept.size() + " kept");
        assertEquals(events.get(events.size() - 1), kept.get(kept.size() - 1));
        assertEquals(events.subList(events.size() - kept.size(), events.size()), kept);
        int encoded = Np2pCodec.encodeEventsResp(kept.stream().map(Event::withoutSig).toList()).length;
        assertTrue(encoded <= budget, encoded + " bytes");
    }

    @Test
    void anAnswerUnderTheBudgetIsWhole() {
        List<Event> events = oldestFirst(20, 100);

        assertEquals(events, AnswerMaker.newestThatFit(events, 64 * 1024));
    }
}
