package org.nostrp2p.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Filter;

/**
 * Nothing acknowledged is lost: a process writing from several threads (single puts, batches,
 * background eviction) is killed with SIGKILL again and again; after each kill the database
 * opens and holds every event whose put had returned.
 */
class CrashSafetyTest {

    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesRepeatedSigkills() {
        assertTimeoutPreemptively(Duration.ofSeconds(90), this::killAndCheckRepeatedly);
    }

    private void killAndCheckRepeatedly() throws Exception {
        Path file = dir.resolve("events.db");
        String owner = TestEvents.hex(TestEvents.randomKey());
        Set<String> acknowledged = new LinkedHashSet<>();
        var random = new Random();
        List<Integer> killedAfter = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 100 + random.nextInt(400);
            try (ChildJvm child = ChildJvm.start("write", file.toString(), owner)) {
                int seen = 0;
                String line;
                while (seen < killAfter && (line = child.readLine()) != null) {
                    seen += record(line, acknowledged);
                }
                assertTrue(child.process().isAlive(), "the writer died by itself in round " + round);
                child.kill();
                // What it printed before dying was acknowledged too.
                while ((line = child.readLine()) != null) {
                    record(line, acknowledged);
                }
            }
            killedAfter.add(killAfter);

            try (var store = SqliteEventStore.builder().path(file).ownerPubkeyHex(owner)
                    .backgroundRetention(false).open()) {
                List<String> missing = acknowledged.stream()
                        .filter(id -> store.get(HexFormat.of().parseHex(id)).isEmpty()).toList();
                assertEquals(List.of(), missing, "acknowledged events lost after kill " + (round + 1));
                long ownStored = store.query(Filter.all().withAuthors(owner)).size();
                assertTrue(ownStored >= acknowledged.size(), ownStored + " < " + acknowledged.size());
            }
        }
        System.out.printf("crash safety: %d SIGKILLs (after %s acks), %d acknowledged events all present%n",
                ROUNDS, killedAfter, acknowledged.size());
    }

    /** @return 1 when the line is a complete acknowledgement */
    private static int record(String line, Set<String> acknowledged) {
        // A line cut by the kill has no closing " ." and was never a complete acknowledgement.
        if (line.startsWith("ack ") && line.endsWith(" .") && line.length() == 4 + 64 + 2) {
            acknowledged.add(line.substring(4, 68));
            return 1;
        }
        return 0;
    }
}
