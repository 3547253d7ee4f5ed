package org.nostrp2p.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resend queue in the store's {@code resend_queue} table, written by the store's writer
 * (so each change is durable when the call returns) and read by its readers.
 *
 * <p>An entry is queued with attempt 0, due {@link #BASE_DELAY} later. Each failed attempt
 * {@code a} moves it to attempt {@code a + 1}, due {@code BASE_DELAY × 2^(a+1)} later; the
 * failure of attempt {@link #MAX_ATTEMPTS}{@code  - 1} drops it. From queueing to the last
 * attempt it waits 5 min × (1 + 2 + … + 2^9) = 5115 min, about 3.55 days. Destinations are
 * independent: a success for one changes nothing for another.
 */
final class SqliteResendQueue implements ResendQueue {

    /** The wait before attempt 0. */
    static final Duration BASE_DELAY = Duration.ofMinutes(5);
    /** Attempts 0..9; the tenth failure drops the entry. */
    static final int MAX_ATTEMPTS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(SqliteResendQueue.class);

    private final Writer writer;
    private final ReaderPool readers;
    private final String label;

    SqliteResendQueue(Writer writer, ReaderPool readers, String label) {
        this.writer = writer;
        this.readers = readers;
        this.label = label;
    }

    /** @return how long an entry waits before attempt {@code attempt} */
    static Duration delayBefore(int attempt) {
        return BASE_DELAY.multipliedBy(1L << attempt);
    }

    @Override
    public void enqueue(String destination, byte[] eventId, Instant now) {
        String key = destinationKey(destination);
        byte[] id = eventId(eventId);
        long due = now.plus(delayBefore(0)).toEpochMilli();
        writer.execute(session -> {
            session.enqueue(key, id, due);
            return null;
        });
    }

    @Override
    public List<Entry> due(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max <= 0) {
            return List.of();
        }
        return readers.read(statements -> {
            PreparedStatement statement = statements.prepare(
                    "SELECT destination, event_id, attempt, next_due_ms FROM resend_queue"
                            + " WHERE next_due_ms <= ? ORDER BY next_due_ms, destination, event_id LIMIT ?");
            statement.setLong(1, now.toEpochMilli());
            statement.setInt(2, max);
            return entries(statement);
        });
    }

    private static List<Entry> entries(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            List<Entry> entries = new ArrayList<>();
            while (rows.next()) {
                entries.add(new Entry(rows.getString(1), rows.getBytes(2), rows.getInt(3),
                        Instant.ofEpochMilli(rows.getLong(4))));
            }
            return entries;
        }
    }

    @Override
    public List<Entry> waitingFor(String keySuffixHex, int max) {
        Objects.requireNonNull(keySuffixHex, "keySuffixHex");
        if (keySuffixHex.isEmpty() || keySuffixHex.length() > 64 || !keySuffixHex.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("a key suffix is 1 to 64 lowercase hex digits, got '" + keySuffixHex + "'");
        }
        if (max <= 0) {
            return List.of();
        }
        return readers.read(statements -> {
            // Destinations are stored as lowercase hex (destinationKey); the queue is small, a scan is fine.
            PreparedStatement statement = statements.prepare(
                    "SELECT destination, event_id, attempt, next_due_ms FROM resend_queue"
                            + " WHERE substr(destination, ?) = ? ORDER BY next_due_ms, destination, event_id LIMIT ?");
            statement.setInt(1, 65 - keySuffixHex.length());
            statement.setString(2, keySuffixHex);
            statement.setInt(3, max);
            return entries(statement);
        });
    }

    @Override
    public void delivered(String destination, byte[] eventId) {
        String key = destinationKey(destination);
        byte[] id = eventId(eventId);
        writer.execute(session -> {
            session.dequeue(key, id);
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * @return true when the entry was dropped, or was not queued at all
     */
    @Override
    public boolean failed(String destination, byte[] eventId, Instant now) {
        String key = destinationKey(destination);
        byte[] id = eventId(eventId);
        Objects.requireNonNull(now, "now");
        boolean dropped = writer.execute(session -> {
            int attempt = session.attempt(key, id);
            if (attempt < 0) {
                return true;
            }
            int next = attempt + 1;
            if (next >= MAX_ATTEMPTS) {
                session.dequeue(key, id);
                return true;
            }
            session.reschedule(key, id, next, now.plus(delayBefore(next)).toEpochMilli());
            return false;
        });
        if (dropped) {
            LOG.debug("Gave up resending an event to {} in {}", key, label);
        }
        return dropped;
    }

    @Override
    public long size() {
        return readers.read(statements -> {
            try (ResultSet rows = statements.prepare("SELECT count(*) FROM resend_queue").executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    private static String destinationKey(String destination) {
        Objects.requireNonNull(destination, "destination");
        String key = destination.toLowerCase(Locale.ROOT);
        if (!FilterQuery.isLowercaseHex64(key)) {
            throw new IllegalArgumentException("destination must be a public key of 64 hex characters, got '"
                    + (destination.length() > 80 ? destination.substring(0, 80) + "…" : destination) + "'");
        }
        return key;
    }

    private static byte[] eventId(byte[] eventId) {
        Objects.requireNonNull(eventId, "eventId");
        if (eventId.length != 32) {
            throw new IllegalArgumentException("an event id is 32 bytes, got " + eventId.length);
        }
        return eventId.clone();
    }
}
