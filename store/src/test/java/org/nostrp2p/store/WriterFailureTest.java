package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A writer that dies of an Error fails its callers at once and refuses later writes; nobody waits forever. */
class WriterFailureTest {

    @Test
    void anErrorOnTheWriterThreadFailsItsCallerAndEveryLaterWriteInsteadOfHanging() {
        try (SqliteEventStore store = SqliteEventStore.builder().inMemory().backgroundRetention(false).open()) {
            assertEquals(EventStore.PutResult.STORED, store.put(TestEvents.post(TestEvents.randomKey(), 1)));

            StoreException dying = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(StoreException.class,
                    () -> store.writer().execute(session -> {
                        throw new NoClassDefFoundError("org/example/Replaced");
                    })));
            assertTrue(dying.getMessage().contains("writer"), dying.getMessage());

            StoreException later = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(StoreException.class,
                    () -> store.put(TestEvents.post(TestEvents.randomKey(), 2))));
            assertTrue(later.getMessage().contains("closed"), later.getMessage());
            assertEquals(1, store.count(), "reads still work");
        }
    }
}
