package org.nostrp2p.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventLimits;
import org.nostrp2p.model.Filter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The {@link EventStore} on SQLite: a file in WAL mode, or an in-memory database for tests
 * and embedders who want no files.
 *
 * <p>One writer thread makes every write, grouping the writes that wait into one transaction
 * (group commit); {@link #put} returns once that transaction is on disk
 * ({@code synchronous=FULL}: the WAL is fsynced at each commit, so an acknowledged event
 * survives a killed process and a power cut alike). Reads run on a pool of connections, each
 * on a consistent snapshot, concurrently with the writer; {@code busy_timeout} keeps
 * {@code SQLITE_BUSY} from reaching callers. A lock file next to the database keeps a second
 * process (or a second store in this process) from opening it.
 *
 * <p>Retention keeps at most {@link Builder#maxEvents} events of any kind (default 100,000)
 * and, when set, none older than {@link Builder#maxAge}; the owner's events, those of the
 * authors the owner follows and those addressed to the owner are never evicted; everyone
 * else shares the rest with a per-author cap ({@link Builder#perAuthorCap}). At open, stored
 * events beyond the {@link EventLimits} (from an older version) are deleted. Eviction runs in the background in
 * small batches; {@link #enforceRetention()} runs it now.
 *
 * <p>Thread-safe. Methods never return {@code null} and throw {@link StoreException} (whose
 * message names the file) when the database fails.
 *
 * <pre>{@code
 * try (var store = SqliteEventStore.builder().path(dir.resolve("events.db"))
 *         .ownerPubkeyHex(me).open()) {
 *     store.put(event);
 *     List<Event> latest = store.query(Filter.all().withLimit(50));
 * }
 * }</pre>
 */
public final class SqliteEventStore implements EventStore {

    /** The default cap on stored events, as the original server keeps about 100k. */
    public static final long DEFAULT_MAX_EVENTS = 100_000;
    /** The default number of reader connections of a file store. */
    public static final int DEFAULT_READERS = 4;
    /** How long a connection waits for a lock before giving up with "locked". */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(30);
    /** How often retention runs in the background besides when the cap is exceeded. */
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(1);
    /** Evictions per transaction, small so puts queued behind them wait little. */
    public static final int DEFAULT_EVICTION_BATCH = 500;

    /**
     * The writer's page cache: 64 MiB, at most (SQLite allocates it as pages are used);
     * {@code -Dnostrp2p.store.writerCacheKiB} changes it (the small-daemon launcher sets 8 MiB).
     */
    static final int WRITER_CACHE_KIB = Integer.getInteger("nostrp2p.store.writerCacheKiB", 64 * 1024);
    /** Each reader's page cache; {@code -Dnostrp2p.store.readerCacheKiB} changes it. */
    static final int READER_CACHE_KIB = Integer.getInteger("nostrp2p.store.readerCacheKiB", 16 * 1024);
    /** WAL pages after which a commit checkpoints; 10,000 pages of 4 KiB. */
    static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;
    /**
     * Connections map the file into memory up to this size, sparing a read() per page;
     * {@code -Dnostrp2p.store.mmapBytes} changes it (the small-daemon launcher sets 0: the
     * kernel's page cache still holds the file, but the process's RSS does not count it).
     */
    static final long MMAP_BYTES = Long.getLong("nostrp2p.store.mmapBytes", 256L * 1024 * 1024);

    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventStore.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final String MEMORY_LABEL = ":memory:";

    private final String label;
    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final Connection writerConnection;
    private final WriteSession session;
    private final Writer writer;
    private final ReaderPool readers;
    private final Retention retention;
    private final SqliteResendQueue resendQueue;
    private final AtomicLong count;
    private final long healed;
    private final ReentrantLock closeLock = new ReentrantLock();
    private boolean closed;

    private SqliteEventStore(Builder builder, Opened opened) {
        this.label = opened.label;
        this.file = builder.path;
        this.lockChannel = opened.lockChannel;
        this.fileLock = opened.fileLock;
        this.writerConnection = opened.writerConnection;
        this.session = opened.session;
        this.count = opened.count;
        this.readers = opened.readers;
        this.retention = new Retention(builder.maxEvents, builder.perAuthorCap(), builder.maxAge, builder.clock, builder.evictionBatch,
                builder.backgroundRetention ? builder.retentionInterval : null, count, label);
        this.writer = new Writer(session, opened.sharedLock, label, count, retention::afterCommit);
        retention.start(writer);
        healed = writer.execute(s -> s.deleteOutOfBounds(builder.limits));
        if (healed > 0) {
            LOG.warn("Deleted {} stored event(s) from {} that exceed the event limits (written by an older version)", healed, label);
        }
        this.resendQueue = new SqliteResendQueue(writer, readers, label);
    }

    /** @return a builder, for a file ({@link Builder#path}) or in memory ({@link Builder#inMemory}) */
    public static Builder builder() {
        return new Builder();
    }

    /** Opens (creating if needed) the store in {@code file} with the default settings. */
    public static SqliteEventStore open(Path file) {
        return builder().path(file).open();
    }

    /** Opens an empty in-memory store with the default settings. */
    public static SqliteEventStore inMemory() {
        return builder().inMemory().open();
    }

    /** @return how many stored events exceeding the event limits were deleted when the store opened */
    public long healedAtOpen() {
        return healed;
    }

    /** The single writer, for tests that need to make it fail. */
    Writer writer() {
        return writer;
    }

    /** @return the database file, or empty for an in-memory store */
    public Optional<Path> path() {
        return Optional.ofNullable(file);
    }

    @Override
    public PutResult put(Event event) {
        Objects.requireNonNull(event, "event");
        return writer.execute(s -> s.put(event));
    }

    @Override
    public List<PutResult> putAll(List<Event> events) {
        List<Event> copy = List.copyOf(events);
        if (copy.isEmpty()) {
            return List.of();
        }
        return writer.execute(s -> {
            List<PutResult> results = new ArrayList<>(copy.size());
            for (Event event : copy) {
                results.add(s.put(event));
            }
            return results;
        });
    }

    /** {@inheritDoc} An id that is not 32 bytes is simply not found. */
    @Override
    public Optional<Event> get(byte[] id) {
        Objects.requireNonNull(id, "id");
        if (id.length != 32) {
            return Optional.empty();
        }
        byte[] key = id.clone();
        return readers.read(statements -> first(statements,
                "SELECT " + FilterQuery.COLUMNS + " FROM events e WHERE e.id = ?", key));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the filter carries more than 10,000 values
     */
    @Override
    public List<Event> query(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        Optional<FilterQuery> query = FilterQuery.of(filter);
        if (query.isEmpty()) {
            return List.of();
        }
        return readers.read(statements -> query.get().run(statements, label));
    }

    /** {@inheritDoc} Any kind may be asked for; a malformed key is simply not found. */
    @Override
    public Optional<Event> latestReplaceable(String pubkeyHex, int kind) {
        Objects.requireNonNull(pubkeyHex, "pubkeyHex");
        String key = pubkeyHex.toLowerCase(Locale.ROOT);
        if (!FilterQuery.isLowercaseHex64(key)) {
            return Optional.empty();
        }
        byte[] pubkey = HEX.parseHex(key);
        return readers.read(statements -> first(statements, "SELECT " + FilterQuery.COLUMNS
                + " FROM events e WHERE e.pubkey = ? AND e.kind = ? ORDER BY e.created_at DESC, e.id ASC LIMIT 1",
                pubkey, kind));
    }

    @Override
    public long count() {
        return count.get();
    }

    @Override
    public ResendQueue resendQueue() {
        return resendQueue;
    }

    /**
     * Evicts now, in small transactions, until the store is within its cap and age (or only
     * events that are never evicted remain). Background retention does the same on its own.
     *
     * @return how many events were evicted
     */
    public long enforceRetention() {
        return retention.enforce();
    }

    /**
     * Checks what the schema cannot: every tag row belongs to a stored event, and the count
     * kept in memory is the count on disk. For tests.
     *
     * @return the problems found; empty when consistent
     */
    List<String> consistencyProblems() {
        return writer.execute(s -> {
            List<String> problems = new ArrayList<>();
            try (Statement statement = s.connection().createStatement();
                 ResultSet orphans = statement.executeQuery(
                         "SELECT count(*) FROM tags WHERE event_seq NOT IN (SELECT seq FROM events)")) {
                orphans.next();
                if (orphans.getLong(1) != 0) {
                    problems.add(orphans.getLong(1) + " tag rows of events no longer stored");
                }
            }
            try (Statement statement = s.connection().createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
                rows.next();
                if (rows.getLong(1) != s.count()) {
                    problems.add("count() is " + s.count() + " but " + rows.getLong(1) + " events are stored");
                }
            }
            return problems;
        });
    }

    /** Stops background work, finishes the writes already queued, closes the database. Idempotent. */
    @Override
    public void close() {
        closeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            retention.close();
            writer.close();
            readers.close();
            try {
                session.close();
                writerConnection.close();
            } catch (SQLException e) {
                LOG.warn("Closing {} failed: {}", label, e.getMessage());
            }
            releaseLock(fileLock, lockChannel);
            LOG.debug("Closed the event store {}", label);
        } finally {
            closeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SqliteEventStore[" + label + "]";
    }

    private Optional<Event> first(StatementCache statements, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = statements.prepare(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(FilterQuery.readEvent(rows, label)) : Optional.empty();
        }
    }

    // ---- opening --------------------------------------------------------------------------

    /** What opening acquired, released in reverse if a later step fails. */
    private static final class Opened {
        String label;
        FileChannel lockChannel;
        FileLock fileLock;
        Connection writerConnection;
        WriteSession session;
        ReentrantLock sharedLock;
        ReaderPool readers;
        AtomicLong count;
        final List<Connection> readerConnections = new ArrayList<>();

        void releaseAll() {
            for (Connection connection : readerConnections) {
                closeQuietly(connection);
            }
            if (session != null) {
                try {
                    session.close();
                } catch (SQLException ignored) {
                    // already failing
                }
            }
            closeQuietly(writerConnection);
            releaseLock(fileLock, lockChannel);
        }
    }

    private static SqliteEventStore open(Builder builder) {
        var opened = new Opened();
        try {
            if (builder.path == null) {
                openInMemory(builder, opened);
            } else {
                openFile(builder, opened);
            }
            var store = new SqliteEventStore(builder, opened);
            LOG.info("Opened the event store {} ({} events, schema version {})", opened.label,
                    opened.count.get(), Schema.CURRENT_VERSION);
            return store;
        } catch (SQLException e) {
            opened.releaseAll();
            throw Failures.wrap(opened.label, "opening", e);
        } catch (RuntimeException e) {
            opened.releaseAll();
            throw e;
        }
    }

    private static void openInMemory(Builder builder, Opened opened) throws SQLException {
        opened.label = MEMORY_LABEL;
        opened.writerConnection = connect("jdbc:sqlite::memory:", builder);
        Schema.migrate(opened.writerConnection, opened.label);
        opened.count = new AtomicLong(countEvents(opened.writerConnection));
        opened.session = new WriteSession(opened.writerConnection, opened.label, builder.owner, opened.count.get());
        opened.sharedLock = new ReentrantLock();
        opened.readers = ReaderPool.shared(opened.writerConnection, opened.sharedLock, opened.label);
    }

    private static void openFile(Builder builder, Opened opened) throws SQLException {
        Path file = builder.path.toAbsolutePath().normalize();
        opened.label = file.toString();
        lock(file, opened);
        String url = "jdbc:sqlite:" + file;
        opened.writerConnection = connect(url, builder);
        try (Statement statement = opened.writerConnection.createStatement()) {
            String mode = pragma(statement, "PRAGMA journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StoreException(opened.label + " cannot use write-ahead logging (journal mode " + mode + ")");
            }
            statement.execute("PRAGMA synchronous = FULL");
            // Random ids and keys land on random index pages: a cache that holds a whole
            // batch's dirty pages keeps a large transaction from spilling into the WAL midway.
            statement.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
            statement.execute("PRAGMA mmap_size = " + MMAP_BYTES);
            // Checkpoint every ~40 MiB of WAL instead of SQLite's 4 MiB: index pages rewritten by
            // many commits are copied into the database once, not once per checkpoint (+30% inserts/s).
            statement.execute("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES);
            if (builder.integrityCheck) {
                String check = pragma(statement, "PRAGMA quick_check(5)");
                if (!"ok".equalsIgnoreCase(check)) {
                    throw new StoreException(opened.label + " is corrupt: " + check);
                }
            }
        }
        Schema.migrate(opened.writerConnection, opened.label);
        try (Statement statement = opened.writerConnection.createStatement()) {
            statement.execute("PRAGMA analysis_limit = " + WriteSession.ANALYSIS_LIMIT);
            statement.execute("PRAGMA optimize = 0x10002"); // gather statistics now if they are missing or stale
        }
        opened.count = new AtomicLong(countEvents(opened.writerConnection));
        opened.session = new WriteSession(opened.writerConnection, opened.label, builder.owner, opened.count.get());
        for (int i = 0; i < builder.readers; i++) {
            Connection reader = connect(url, builder);
            opened.readerConnections.add(reader);
            try (Statement statement = reader.createStatement()) {
                statement.execute("PRAGMA query_only = 1");
                statement.execute("PRAGMA cache_size = -" + READER_CACHE_KIB);
                statement.execute("PRAGMA mmap_size = " + MMAP_BYTES);
            }
        }
        opened.readers = ReaderPool.of(opened.readerConnections, opened.label);
    }

    /**
     * SQLite's own locks let several processes share a database; a server must own its store
     * alone, so an OS lock on a file next to it keeps out a second process, or a second store
     * in this JVM. The OS drops the lock when the process dies, so a crash never leaves it held.
     */
    private static void lock(Path file, Opened opened) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            opened.lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            opened.fileLock = opened.lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new StoreException(opened.label + " is already open in this process");
        } catch (IOException e) {
            throw new StoreException("cannot lock " + opened.label + " through " + lockFile + ": " + e.getMessage(), e);
        }
        if (opened.fileLock == null) {
            throw new StoreException(opened.label + " is locked by another process (it holds " + lockFile + ")");
        }
    }

    private static Connection connect(String url, Builder builder) throws SQLException {
        var config = new SQLiteConfig();
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, builder.busyTimeout.toMillis()));
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setGetGeneratedKeys(false); // ids are assigned here; spares a regex per insert
        return DriverManager.getConnection(url, config.toProperties());
    }

    private static String pragma(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            var text = new StringBuilder();
            while (rows.next()) {
                if (text.length() > 0) {
                    text.append("; ");
                }
                text.append(rows.getString(1));
            }
            return text.toString().replace('\n', ' ').trim();
        }
    }

    private static long countEvents(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // releasing after a failure
            }
        }
    }

    private static void releaseLock(FileLock fileLock, FileChannel channel) {
        try {
            if (fileLock != null) {
                fileLock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the OS releases it with the process anyway
        }
    }

    /**
     * Settings of a {@link SqliteEventStore}. Not thread-safe; {@link #open()} may be called
     * more than once (for different paths).
     */
    public static final class Builder {
        private Path path;
        private byte[] owner;
        private long maxEvents = DEFAULT_MAX_EVENTS;
        private long perAuthorCap = -1;
        private EventLimits limits = EventLimits.DEFAULT;
        private Duration maxAge;
        private Clock clock = Clock.systemUTC();
        private int readers = DEFAULT_READERS;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private boolean backgroundRetention = true;
        private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
        private int evictionBatch = DEFAULT_EVICTION_BATCH;
        private boolean integrityCheck = true;

        private Builder() {
        }

        /** Keep the store in this file (created with its directories if missing). */
        public Builder path(Path path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Keep the store in memory only; it is gone when closed. The default when no path is set. */
        public Builder inMemory() {
            this.path = null;
            return this;
        }

        /** The server's own user, whose events retention never evicts; {@code null} for none. */
        public Builder ownerPubkeyHex(String pubkeyHex) {
            if (pubkeyHex == null) {
                this.owner = null;
                return this;
            }
            String key = pubkeyHex.toLowerCase(Locale.ROOT);
            if (!FilterQuery.isLowercaseHex64(key)) {
                throw new IllegalArgumentException("the owner's public key must be 64 hex characters");
            }
            this.owner = HEX.parseHex(key);
            return this;
        }

        /** The most events kept (besides those never evicted); default 100,000. */
        public Builder maxEvents(long maxEvents) {
            if (maxEvents < 0) {
                throw new IllegalArgumentException("maxEvents must not be negative, got " + maxEvents);
            }
            this.maxEvents = maxEvents;
            return this;
        }

        /**
         * How many events one unprotected author keeps when the store is over its cap; default
         * 1% of {@link #maxEvents} (1,000 of 100,000), at least 1.
         */
        public Builder perAuthorCap(long perAuthorCap) {
            if (perAuthorCap < 1) {
                throw new IllegalArgumentException("perAuthorCap must be positive, got " + perAuthorCap);
            }
            this.perAuthorCap = perAuthorCap;
            return this;
        }

        /** The event limits: stored events beyond them are deleted at open; default {@link EventLimits#DEFAULT}. */
        public Builder limits(EventLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        long perAuthorCap() {
            return perAuthorCap > 0 ? perAuthorCap : Math.max(1, maxEvents / 100);
        }

        /** Evict events whose {@code created_at} is older than this; {@code null} (the default) for no limit. */
        public Builder maxAge(Duration maxAge) {
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
            }
            this.maxAge = maxAge;
            return this;
        }

        /** The clock {@link #maxAge} is measured against; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Reader connections of a file store; default 4. */
        public Builder readers(int readers) {
            if (readers < 1) {
                throw new IllegalArgumentException("readers must be at least 1, got " + readers);
            }
            this.readers = readers;
            return this;
        }

        /** How long to wait for a lock held elsewhere before failing; default 30 s. */
        public Builder busyTimeout(Duration busyTimeout) {
            this.busyTimeout = Objects.requireNonNull(busyTimeout, "busyTimeout");
            return this;
        }

        /**
         * Whether retention runs by itself (default) or only through
         * {@link SqliteEventStore#enforceRetention()}.
         */
        public Builder backgroundRetention(boolean enabled) {
            this.backgroundRetention = enabled;
            return this;
        }

        /** How often background retention runs besides when the cap is exceeded; default 1 min. */
        public Builder retentionInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the retention interval must be positive, got " + interval);
            }
            this.retentionInterval = interval;
            return this;
        }

        /** Evictions per transaction; default 500. */
        public Builder evictionBatch(int evictionBatch) {
            if (evictionBatch < 1) {
                throw new IllegalArgumentException("evictionBatch must be at least 1, got " + evictionBatch);
            }
            this.evictionBatch = evictionBatch;
            return this;
        }

        /**
         * Whether opening a file runs {@code PRAGMA quick_check} (default true): a corrupt file is
         * refused at once instead of failing on the first read of a damaged page.
         */
        public Builder integrityCheckOnOpen(boolean check) {
            this.integrityCheck = check;
            return this;
        }

        /**
         * Opens the store, creating and migrating the database as needed.
         *
         * @throws StoreException naming the file when it is corrupt, locked by another process,
         *                        of a newer schema, or cannot be opened
         */
        public SqliteEventStore open() {
            return SqliteEventStore.open(this);
        }
    }
}
