package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Event;

/** A database the store cannot safely use is refused with a StoreException that names the file. */
class StoreErrorsTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatIsNotADatabaseIsRefusedByName() throws IOException {
        Path file = dir.resolve("events.db");
        Files.writeString(file, "this is a text file, not an SQLite database\n".repeat(200), StandardCharsets.UTF_8);

        StoreException e = assertThrows(StoreException.class, () -> SqliteEventStore.open(file));

        assertNamesFile(e, file);
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aDatabaseWithDamagedPagesIsRefusedByName() throws IOException {
        Path file = dir.resolve("events.db");
        try (var store = SqliteEventStore.open(file)) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                events.add(TestEvents.post(TestEvents.randomKey(), i));
            }
            store.putAll(events);
        }
        long size = Files.size(file);
        assertTrue(size > 64 * 1024, "the database is " + size + " bytes");
        byte[] garbage = new byte[3 * 4096];
        new Random(7).nextBytes(garbage);
        try (var raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(size / 2 / 4096 * 4096); // whole pages in the middle: b-tree pages of events or indexes
            raw.write(garbage);
        }

        StoreException e = assertThrows(StoreException.class, () -> SqliteEventStore.open(file));

        assertNamesFile(e, file);
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aDatabaseOfANewerSchemaIsRefusedByNameAndLeftAlone() throws Exception {
        Path file = dir.resolve("events.db");
        SqliteEventStore.open(file).close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement()) {
            statement.execute("PRAGMA user_version = " + (Schema.CURRENT_VERSION + 1));
        }

        StoreException e = assertThrows(StoreException.class, () -> SqliteEventStore.open(file));

        assertNamesFile(e, file);
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(Schema.CURRENT_VERSION + 1, Schema.userVersion(raw));
        }
    }

    @Test
    void aDatabaseHeldByAnotherStoreProcessIsRefusedByName() throws Exception {
        Path file = dir.resolve("events.db");
        try (ChildJvm holder = ChildJvm.start("hold", file.toString())) {
            assertEquals("open", holder.readLine());

            StoreException e = assertThrows(StoreException.class, () -> SqliteEventStore.open(file));

            assertNamesFile(e, file);
            assertTrue(e.getMessage().contains("locked by another process"), e.getMessage());
        }
        // Once that process is gone, its lock is gone with it.
        SqliteEventStore.open(file).close();
    }

    @Test
    void aDatabaseLockedBySomeOtherSqliteProgramIsRefusedByName() throws Exception {
        Path file = dir.resolve("events.db");
        SqliteEventStore.open(file).close();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = other.createStatement()) {
            statement.execute("PRAGMA locking_mode = EXCLUSIVE");
            statement.execute("BEGIN EXCLUSIVE");

            StoreException e = assertThrows(StoreException.class, () -> SqliteEventStore.builder().path(file)
                    .busyTimeout(Duration.ofMillis(200)).open());

            assertNamesFile(e, file);
            assertTrue(e.getMessage().contains("locked by another process"), e.getMessage());
            statement.execute("COMMIT");
        }
    }

    @Test
    void aDatabaseAlreadyOpenInThisProcessIsRefusedByName() {
        Path file = dir.resolve("events.db");
        try (var first = SqliteEventStore.open(file)) {
            StoreException e = assertThrows(StoreException.class, () -> SqliteEventStore.open(file));

            assertNamesFile(e, file);
            assertEquals(0, first.count(), "the first store still works");
        }
    }

    @Test
    void anOlderSchemaIsMigratedInPlace() throws Exception {
        Path file = dir.resolve("events.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(0, Schema.userVersion(raw)); // a new, empty file is version 0
        }

        try (var store = SqliteEventStore.open(file)) {
            store.put(TestEvents.post(TestEvents.randomKey(), 1));
        }

        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(Schema.CURRENT_VERSION, Schema.userVersion(raw));
        }
    }

    private static void assertNamesFile(StoreException e, Path file) {
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()),
                "the message names " + file + ": " + e.getMessage());
    }
}
