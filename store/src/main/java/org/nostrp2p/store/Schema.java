package org.nostrp2p.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema and its migrations, versioned in {@code PRAGMA user_version}.
 *
 * <p>{@link #MIGRATIONS}{@code .get(v)} turns a version {@code v} database into version
 * {@code v + 1}; version 0 is an empty file. Each migration runs in its own transaction
 * together with the {@code user_version} bump, so a crash leaves either the old or the new
 * version, never half of one. A file whose version is newer than {@link #CURRENT_VERSION} was
 * written by a newer program and is refused, not guessed at.
 */
final class Schema {

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    private static final List<List<String>> MIGRATIONS = List.of(
            // 0 -> 1: events, their single-letter tags, the resend queue.
            List.of(
                    """
                    CREATE TABLE events (
                      seq        INTEGER PRIMARY KEY,
                      id         BLOB    NOT NULL,
                      pubkey     BLOB    NOT NULL,
                      created_at INTEGER NOT NULL,
                      kind       INTEGER NOT NULL,
                      tags       BLOB    NOT NULL,
                      content    TEXT    NOT NULL,
                      sig        BLOB
                    )""",
                    "CREATE UNIQUE INDEX events_by_id ON events(id)",
                    // Without id: ties in created_at are rare and sorted on the fly, and 32
                    // bytes less per entry makes these indexes 30% smaller. Ascending, so new
                    // events append at the right edge; SQLite scans them backwards for "newest first".
                    "CREATE INDEX events_by_time ON events(created_at)",
                    "CREATE INDEX events_by_kind_time ON events(kind, created_at)",
                    "CREATE INDEX events_by_author_kind ON events(pubkey, kind, created_at)",
                    // One B-tree, keyed for look-ups; an event's rows are deleted by their
                    // keys, rebuilt from the event's own tags, so no second index is needed.
                    """
                    CREATE TABLE tags (
                      name       TEXT    NOT NULL,
                      value              NOT NULL,
                      created_at INTEGER NOT NULL,
                      event_seq  INTEGER NOT NULL,
                      PRIMARY KEY (name, value, created_at, event_seq)
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE resend_queue (
                      destination TEXT    NOT NULL,
                      event_id    BLOB    NOT NULL,
                      attempt     INTEGER NOT NULL,
                      next_due_ms INTEGER NOT NULL,
                      PRIMARY KEY (destination, event_id)
                    ) WITHOUT ROWID""",
                    "CREATE INDEX resend_by_due ON resend_queue(next_due_ms)"));

    /** The version this program writes. */
    static final int CURRENT_VERSION = MIGRATIONS.size();

    private Schema() {
    }

    /**
     * Brings the database up to {@link #CURRENT_VERSION}.
     *
     * @param label the file name, for messages
     * @throws StoreException when the file's schema is newer than this program's
     */
    static void migrate(Connection connection, String label) throws SQLException {
        int version = userVersion(connection);
        if (version > CURRENT_VERSION) {
            throw new StoreException(label + " has schema version " + version
                    + ", newer than the " + CURRENT_VERSION + " this program knows; use a newer program");
        }
        if (version < 0) {
            throw new StoreException(label + " has an invalid schema version " + version);
        }
        try (Statement statement = connection.createStatement()) {
            for (int v = version; v < CURRENT_VERSION; v++) {
                statement.execute("BEGIN IMMEDIATE");
                try {
                    for (String sql : MIGRATIONS.get(v)) {
                        statement.execute(sql);
                    }
                    statement.execute("PRAGMA user_version = " + (v + 1));
                    statement.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    statement.execute("ROLLBACK");
                    throw e;
                }
                if (v > 0) {
                    LOG.info("Migrated the event store {} from schema version {} to {}", label, v, v + 1);
                }
            }
        }
    }

    static int userVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}
