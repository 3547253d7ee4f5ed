package org.nostrp2p.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventKind;
import org.nostrp2p.model.EventLimits;
import org.nostrp2p.model.Events;
import org.nostrp2p.store.EventStore.PutResult;

/**
 * Every write the store makes, on the one writer connection, with its prepared statements.
 * Confined to the {@link Writer} thread; each method runs inside the writer's open
 * transaction.
 */
final class WriteSession implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WriteSession.class);

    /** Kinds of which only each author's newest event is kept (NIP-01 replaceable, as NostrP2P uses them). */
    static final Set<Integer> REPLACEABLE_KINDS = EventKind.REPLACEABLE_KINDS;

    /**
     * Rows ANALYZE looks at per index; 0 = all. Sampled statistics take milliseconds but guess
     * few-valued columns badly (kind looked 40× more selective than it is, and
     * {@code kind IN (1, 6) LIMIT 50} sorted every post); a full ANALYZE takes ~0.1 s at 100k
     * events, ~1 s at 1M, and PRAGMA optimize runs it only when the tables changed a lot.
     */
    static final int ANALYSIS_LIMIT = 0;

    private static final byte[] NO_OWNER = new byte[0];

    private final Connection connection;
    private final String label;
    private final byte[] owner;
    private final PreparedStatement selectId;
    private final PreparedStatement selectReplaceable;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertTag;
    private final PreparedStatement deleteEvent;
    private final PreparedStatement deleteTags;
    private final PreparedStatement selectOlderThan;
    private final PreparedStatement selectOldest;
    private final PreparedStatement selectFuture;
    private final PreparedStatement selectCrowdedAuthor;
    private final PreparedStatement selectOldestOfAuthor;
    private final PreparedStatement selectOwnFollowList;
    private final PreparedStatement enqueue;
    private final PreparedStatement selectAttempt;
    private final PreparedStatement reschedule;
    private final PreparedStatement dequeue;
    private long nextSeq;
    /** Rows added minus rows removed by the task running now, applied to the count on commit. */
    private long taskDelta;
    private long committedCount;
    private long groupDelta;

    WriteSession(Connection connection, String label, byte[] ownerPubkey, long storedCount) throws SQLException {
        this.connection = connection;
        this.label = label;
        this.owner = ownerPubkey == null ? NO_OWNER : ownerPubkey.clone();
        this.committedCount = storedCount;
        selectId = connection.prepareStatement("SELECT 1 FROM events WHERE id = ?");
        selectReplaceable = connection.prepareStatement(
                "SELECT seq, created_at, id, tags FROM events WHERE pubkey = ? AND kind = ?");
        insertEvent = connection.prepareStatement(
                "INSERT OR IGNORE INTO events(seq, id, pubkey, created_at, kind, tags, content, sig)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insertTag = connection.prepareStatement(
                "INSERT OR IGNORE INTO tags(name, value, created_at, event_seq) VALUES (?, ?, ?, ?)");
        deleteEvent = connection.prepareStatement("DELETE FROM events WHERE seq = ?");
        deleteTags = connection.prepareStatement(
                "DELETE FROM tags WHERE name = ? AND value = ? AND created_at = ? AND event_seq = ?");
        // The protected set (see Retention): events of the owner and of the authors the owner
        // follows (a temporary table, rebuilt from the owner's newest follow list), and events
        // whose p tags name the owner (replies, mentions, likes addressed to the owner).
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE IF NOT EXISTS protected_authors (pubkey BLOB PRIMARY KEY) WITHOUT ROWID");
        }
        String unprotected = " pubkey NOT IN (SELECT pubkey FROM temp.protected_authors)"
                + " AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.name = 'p' AND t.value = ?"
                + " AND t.created_at = events.created_at AND t.event_seq = events.seq)";
        String evictable = " FROM events WHERE" + unprotected;
        String oldestFirst = " ORDER BY created_at ASC, id DESC LIMIT ?";
        selectOlderThan = connection.prepareStatement(
                "SELECT seq, created_at, tags" + evictable + " AND created_at < ?" + oldestFirst);
        selectOldest = connection.prepareStatement("SELECT seq, created_at, tags" + evictable + oldestFirst);
        selectFuture = connection.prepareStatement("SELECT seq, created_at, tags" + evictable
                + " AND created_at > ? ORDER BY created_at DESC, id ASC LIMIT ?");
        selectCrowdedAuthor = connection.prepareStatement("SELECT pubkey, count(*) FROM events"
                + " WHERE pubkey NOT IN (SELECT pubkey FROM temp.protected_authors)"
                + " GROUP BY pubkey HAVING count(*) > ? ORDER BY count(*) DESC, pubkey ASC LIMIT 1");
        selectOldestOfAuthor = connection.prepareStatement("SELECT seq, created_at, tags FROM events WHERE pubkey = ? AND"
                + unprotected + oldestFirst);
        selectOwnFollowList = connection.prepareStatement("SELECT tags FROM events WHERE pubkey = ? AND kind = "
                + EventKind.FOLLOW_LIST.number() + " ORDER BY created_at DESC, id ASC LIMIT 1");
        enqueue = connection.prepareStatement(
                "INSERT OR IGNORE INTO resend_queue(destination, event_id, attempt, next_due_ms)"
                        + " VALUES (?, ?, 0, ?)");
        selectAttempt = connection.prepareStatement(
                "SELECT attempt FROM resend_queue WHERE destination = ? AND event_id = ?");
        reschedule = connection.prepareStatement(
                "UPDATE resend_queue SET attempt = ?, next_due_ms = ? WHERE destination = ? AND event_id = ?");
        dequeue = connection.prepareStatement(
                "DELETE FROM resend_queue WHERE destination = ? AND event_id = ?");
        try (var statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(max(seq), 0) FROM events")) {
            nextSeq = rows.next() ? rows.getLong(1) + 1 : 1;
        }
        refreshProtectedAuthors();
    }

    /**
     * Rebuilds the protected authors: the owner and every user the owner's newest follow list
     * names. Runs at open and whenever the owner's follow list changes, inside that write's
     * transaction (a temporary table rolls back with it).
     */
    private void refreshProtectedAuthors() throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("DELETE FROM temp.protected_authors");
        }
        if (owner.length == 0) {
            return;
        }
        List<byte[]> authors = new ArrayList<>();
        authors.add(owner);
        selectOwnFollowList.setBytes(1, owner);
        try (ResultSet rows = selectOwnFollowList.executeQuery()) {
            if (rows.next()) {
                for (List<String> tag : TagCodec.decode(rows.getBytes(1))) {
                    if (tag.size() >= 2 && tag.get(0).equals("p") && Events.isHex64(tag.get(1))) {
                        authors.add(java.util.HexFormat.of().parseHex(tag.get(1).toLowerCase(java.util.Locale.ROOT)));
                    }
                }
            } 
        } catch (IllegalArgumentException e) {
            LOG.warn("The owner's follow list in {} cannot be read; only the owner's events are protected: {}", label, e.getMessage());
        }
        try (var insert = connection.prepareStatement("INSERT OR IGNORE INTO temp.protected_authors(pubkey) VALUES (?)")) {
            for (byte[] author : authors) {
                insert.setBytes(1, author);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    Connection connection() {
        return connection;
    }

    // ---- bookkeeping for the writer ------------------------------------------------------

    void beginTask() {
        taskDelta = 0;
    }

    void taskSucceeded() {
        groupDelta += taskDelta;
    }

    /** @return the change in the number of events the committed group made */
    long groupCommitted() {
        long delta = groupDelta;
        committedCount += delta;
        groupDelta = 0;
        return delta;
    }

    void groupRolledBack() {
        groupDelta = 0;
    }

    /** @return the number of events as this transaction sees it */
    long count() {
        return committedCount + groupDelta + taskDelta;
    }

    // ---- events ---------------------------------------------------------------------------

    PutResult put(Event event) throws SQLException {
        byte[] id = event.id();
        if (REPLACEABLE_KINDS.contains(event.kind())) {
            PutResult refused = replaceOlder(event, id);
            if (refused != null) {
                return refused;
            }
        }
        long seq = nextSeq++;
        insertEvent.setLong(1, seq);
        insertEvent.setBytes(2, id);
        insertEvent.setBytes(3, event.pubkey());
        insertEvent.setLong(4, event.createdAt());
        insertEvent.setInt(5, event.kind());
        insertEvent.setBytes(6, TagCodec.encode(event.tags()));
        insertEvent.setString(7, event.content());
        insertEvent.setBytes(8, event.sig());
        // The unique index on id makes a duplicate a no-op: one statement instead of a look-up and an insert.
        if (insertEvent.executeUpdate() == 0) {
            return PutResult.DUPLICATE;
        }
        boolean anyTag = false;
        for (List<String> tag : event.tags()) {
            if (TagValues.isIndexed(tag)) {
                insertTag.setString(1, tag.get(0));
                insertTag.setObject(2, TagValues.column(tag.get(1)));
                insertTag.setLong(3, event.createdAt());
                insertTag.setLong(4, seq);
                insertTag.addBatch();
                anyTag = true;
            }
        }
        if (anyTag) {
            insertTag.executeBatch();
        }
        taskDelta++;
        if (event.kind() == EventKind.FOLLOW_LIST.number() && Arrays.equals(event.pubkey(), owner)) {
            refreshProtectedAuthors();
        }
        return PutResult.STORED;
    }

    /**
     * For a replaceable event: deletes the author's older one of its kind, unless this one is
     * a duplicate or is older itself.
     *
     * @return why the event is refused, or {@code null} to store it
     */
    private PutResult replaceOlder(Event event, byte[] id) throws SQLException {
        selectId.setBytes(1, id);
        try (ResultSet rows = selectId.executeQuery()) {
            if (rows.next()) {
                return PutResult.DUPLICATE;
            }
        }
        List<StoredRow> replaced = new ArrayList<>(1);
        selectReplaceable.setBytes(1, event.pubkey());
        selectReplaceable.setInt(2, event.kind());
        try (ResultSet rows = selectReplaceable.executeQuery()) {
            while (rows.next()) {
                long storedAt = rows.getLong(2);
                byte[] storedId = rows.getBytes(3);
                boolean storedWins = storedAt > event.createdAt()
                        || (storedAt == event.createdAt() && Arrays.compareUnsigned(storedId, id) < 0);
                if (storedWins) {
                    return PutResult.SUPERSEDED;
                }
                replaced.add(new StoredRow(rows.getLong(1), storedAt, rows.getBytes(4)));
            }
        }
        for (StoredRow row : replaced) {
            delete(row);
        }
        return null;
    }
    /** What deleting a stored event needs: its row and the keys of its tag rows. */
    private record StoredRow(long seq, long createdAt, byte[] tags) {
    }

    private void delete(StoredRow row) throws SQLException {
        List<List<String>> tags;
        try {
            tags = TagCodec.decode(row.tags());
        } catch (IllegalArgumentException e) {
            throw new StoreException(label + " is corrupt: the tags of stored event #" + row.seq()
                    + " cannot be read: " + e.getMessage(), e);
        }
        boolean anyTag = false;
        for (List<String> tag : tags) {
            if (TagValues.isIndexed(tag)) {
                deleteTags.setString(1, tag.get(0));
                deleteTags.setObject(2, TagValues.column(tag.get(1)));
                deleteTags.setLong(3, row.createdAt());
                deleteTags.setLong(4, row.seq());
                deleteTags.addBatch();
                anyTag = true;
            }
        }
        if (anyTag) {
            deleteTags.executeBatch();
        }
        deleteEvent.setLong(1, row.seq());
        taskDelta -= deleteEvent.executeUpdate();
    }

    /**
     * Evicts up to {@code max} of the oldest unprotected events created before {@code cutoff}
     * seconds (any age when {@code null}). Protected: the owner's events, those of the authors
     * the owner follows, and those whose p tags name the owner.
     *
     * @return how many were evicted
     */
    int evictOldest(Long cutoff, int max) throws SQLException {
        PreparedStatement select = cutoff == null ? selectOldest : selectOlderThan;
        int parameter = 1;
        select.setBytes(parameter++, owner);
        if (cutoff != null) {
            select.setLong(parameter++, cutoff);
        }
        select.setInt(parameter, max);
        return deleteSelected(select, max);
    }

    /**
     * Evicts up to {@code max} unprotected events dated after {@code after} seconds, the
     * furthest ahead first: post-dated events would otherwise be the last to go.
     *
     * @return how many were evicted
     */
    int evictFuture(long after, int max) throws SQLException {
        selectFuture.setBytes(1, owner);
        selectFuture.setLong(2, after);
        selectFuture.setInt(3, max);
        return deleteSelected(selectFuture, max);
    }

    /**
     * Evicts up to {@code max} of the oldest events of the unprotected author who holds the most
     * events beyond {@code perAuthorCap}, down to that cap.
     *
     * @return how many were evicted; 0 when no unprotected author exceeds the cap
     */
    int evictCrowdedAuthor(long perAuthorCap, int max) throws SQLException {
        selectCrowdedAuthor.setLong(1, perAuthorCap);
        byte[] author;
        long held;
        try (ResultSet rows = selectCrowdedAuthor.executeQuery()) {
            if (!rows.next()) {
                return 0;
            }
            author = rows.getBytes(1);
            held = rows.getLong(2);
        }
        int n = (int) Math.min(max, held - perAuthorCap);
        selectOldestOfAuthor.setBytes(1, author);
        selectOldestOfAuthor.setBytes(2, owner);
        selectOldestOfAuthor.setInt(3, n);
        return deleteSelected(selectOldestOfAuthor, n);
    }

    /**
     * Deletes stored events that exceed {@code limits} or carry a time no float64 holds
     * exactly: what an older version stored, which could make every answer holding it fail.
     *
     * @return how many were deleted
     */
    int deleteOutOfBounds(EventLimits limits) throws SQLException {
        // length() of a blob or text reads only its header; rows under these sizes cannot
        // exceed the limits (a tag takes at least one byte, a char at most four).
        String sql = "SELECT seq, created_at, tags, id, pubkey, kind, content FROM events WHERE length(tags) > ?"
                + " OR length(content) > ? OR created_at < 0 OR created_at >= ?";
        List<StoredRow> victims = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setInt(1, Math.min(limits.maxTags(), limits.maxTagValueBytes()));
            select.setInt(2, limits.maxEventBytes() / 4 - 256);
            select.setLong(3, EventLimits.FIRST_UNSAFE_SECONDS);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    StoredRow row = new StoredRow(rows.getLong(1), rows.getLong(2), rows.getBytes(3));
                    boolean outOfBounds;
                    try {
                        Event event = new Event(rows.getBytes(4), rows.getBytes(5), row.createdAt(), rows.getInt(6),
                                TagCodec.decode(row.tags()), rows.getString(7), null);
                        outOfBounds = limits.sizeViolation(event).isPresent()
                                || row.createdAt() < 0 || row.createdAt() >= EventLimits.FIRST_UNSAFE_SECONDS;
                    } catch (IllegalArgumentException | NullPointerException e) {
                        outOfBounds = true;
                    }
                    if (outOfBounds) {
                        victims.add(row);
                    }
                }
            }
        }
        for (StoredRow victim : victims) {
            deleteTolerant(victim);
        }
        return victims.size();
    }

    private int deleteSelected(PreparedStatement select, int max) throws SQLException {
        List<StoredRow> victims = new ArrayList<>(Math.max(0, max));
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                victims.add(new StoredRow(rows.getLong(1), rows.getLong(2), rows.getBytes(3)));
            }
        }
        for (StoredRow victim : victims) {
            delete(victim);
        }
        return victims.size();
    }

    /** Deletes a row even when its tags cannot be read (their index rows are then found by seq). */
    private void deleteTolerant(StoredRow row) throws SQLException {
        try {
            TagCodec.decode(row.tags());
            delete(row);
        } catch (IllegalArgumentException e) {
            try (PreparedStatement tags = connection.prepareStatement("DELETE FROM tags WHERE event_seq = ?")) {
                tags.setLong(1, row.seq());
                tags.executeUpdate();
            }
            deleteEvent.setLong(1, row.seq());
            taskDelta -= deleteEvent.executeUpdate();
        }
    }

    /**
     * Refreshes the planner's statistics when the tables have grown or shrunk enough to make
     * them stale (SQLite decides; usually it does nothing). Without them SQLite would, for
     * {@code kind IN (1, 6) ... LIMIT 50}, sort every post instead of walking the time index.
     */
    void optimize() throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("PRAGMA optimize");
        }
    }

    // ---- the resend queue -----------------------------------------------------------------

    void enqueue(String destination, byte[] eventId, long dueMillis) throws SQLException {
        enqueue.setString(1, destination);
        enqueue.setBytes(2, eventId);
        enqueue.setLong(3, dueMillis);
        enqueue.executeUpdate();
    }

    /** @return the entry's attempt count, or -1 when it is not queued */
    int attempt(String destination, byte[] eventId) throws SQLException {
        selectAttempt.setString(1, destination);
        selectAttempt.setBytes(2, eventId);
        try (ResultSet rows = selectAttempt.executeQuery()) {
            return rows.next() ? rows.getInt(1) : -1;
        }
    }

    void reschedule(String destination, byte[] eventId, int attempt, long dueMillis) throws SQLException {
        reschedule.setInt(1, attempt);
        reschedule.setLong(2, dueMillis);
        reschedule.setString(3, destination);
        reschedule.setBytes(4, eventId);
        reschedule.executeUpdate();
    }

    void dequeue(String destination, byte[] eventId) throws SQLException {
        dequeue.setString(1, destination);
        dequeue.setBytes(2, eventId);
        dequeue.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : List.of(selectId, selectReplaceable, insertEvent, insertTag,
                deleteEvent, deleteTags, selectOlderThan, selectOldest, selectFuture, selectCrowdedAuthor,
                selectOldestOfAuthor, selectOwnFollowList, enqueue, selectAttempt,
                reschedule, dequeue)) {
            statement.close();
        }
    }
}
