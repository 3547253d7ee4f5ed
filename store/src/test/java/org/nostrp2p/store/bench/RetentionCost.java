package org.nostrp2p.store.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.nostrp2p.model.Event;
import org.nostrp2p.store.SqliteEventStore;

/**
 * What fair retention costs on a realistic store, run by hand (figures in docs/benchmarks.md):
 * opening about 100k events (the heal scan included), then evicting about 10k of them to a
 * cap of 90,000 with the protected set (the owner and 100 followed authors) in place. The
 * database is built once in the given directory and reused.
 *
 * <pre>java -cp ... org.nostrp2p.store.bench.RetentionCost dir</pre>
 */
public final class RetentionCost {

    private static final long CAP = 90_000;

    private RetentionCost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("retention-cost");
        Path file = dir.resolve("events.db");
        String owner = SyntheticTimeline.authorHex(0);
        if (!Files.exists(file)) {
            build(file, owner);
        }
        long t0 = System.nanoTime();
        try (var store = SqliteEventStore.builder().path(file).ownerPubkeyHex(owner).maxEvents(CAP)
                .backgroundRetention(false).open()) {
            long opened = System.nanoTime();
            long before = store.count();
            long evicted = store.enforceRetention();
            long done = System.nanoTime();
            System.out.printf("open (with heal scan): %.0f ms for %d events; healed %d%n", (opened - t0) / 1e6, before,
                    store.healedAtOpen());
            System.out.printf("evicting %d to the cap of %d: %.0f ms (%.0f events/s); %d remain%n", evicted, CAP,
                    (done - opened) / 1e6, evicted / ((done - opened) / 1e9), store.count());
        }
    }

    private static void build(Path file, String owner) {
        SyntheticTimeline timeline = new SyntheticTimeline(7);
        try (var store = SqliteEventStore.builder().path(file).ownerPubkeyHex(owner).maxEvents(1_000_000)
                .backgroundRetention(false).open()) {
            List<List<String>> follows = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                follows.add(List.of("p", SyntheticTimeline.authorHex(i), "", ""));
            }
            store.put(new Event(new byte[32], HexFormat.of().parseHex(owner), SyntheticTimeline.START + 10_000_000, 3,
                    follows, "", new byte[64]));
            for (int i = 0; i < 110; i++) {
                store.putAll(timeline.next(1000));
            }
        }
    }
}
