package org.nostrp2p.store.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Filter;
import org.nostrp2p.store.SqliteEventStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Query latency on a file store of 100k and 1M events of a {@link SyntheticTimeline}. The
 * databases are built once into {@code target/bench-data} and reused by later runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StoreQueryBenchmark {

    @Param({"100000", "1000000"})
    public int events;

    private SqliteEventStore store;
    private Filter latest50;
    private Filter timeline50;
    private Filter mentions50;
    private Filter tenMinutes;
    private String someAuthor;
    private byte[] someId;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path dir = Path.of("target", "bench-data");
        Files.createDirectories(dir);
        Path file = dir.resolve("events-" + events + ".db");
        store = SqliteEventStore.builder().path(file).maxEvents(Long.MAX_VALUE)
                .backgroundRetention(false).integrityCheckOnOpen(false).open();
        if (store.count() != events) {
            fill();
        }
        long bytes = Files.size(file) + sizeIfExists(Path.of(file + "-wal"));
        System.out.printf("%n[disk] %d events in %d bytes: %.0f bytes/event%n", store.count(), bytes,
                (double) bytes / store.count());
        someAuthor = SyntheticTimeline.authorHex(17);
        latest50 = Filter.all().withLimit(50);
        timeline50 = Filter.all().withKinds(1, 6).withLimit(50);
        mentions50 = Filter.all().withTag('p', someAuthor).withLimit(50);
        long middle = SyntheticTimeline.START + events / 4;
        tenMinutes = Filter.all().withKinds(1).withRange(middle, middle + 600);
        someId = store.query(Filter.all().withRange(middle, middle).withLimit(1)).get(0).id();
    }

    private void fill() {
        long started = System.nanoTime();
        if (store.count() > 0) {
            throw new IllegalStateException("delete the partial " + store.path().orElseThrow() + " and run again");
        }
        var timeline = new SyntheticTimeline(1);
        int stored = 0;
        while (store.count() < events) {
            int n = (int) Math.min(10_000, events - store.count());
            store.putAll(timeline.next(n));
            stored += n;
        }
        System.out.printf("%n[fill] %d events in %.1f s%n", stored, (System.nanoTime() - started) / 1e9);
    }

    private static long sizeIfExists(Path path) throws IOException {
        return Files.exists(path) ? Files.size(path) : 0;
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    /** What a client's first timeline poll costs: the newest 50 events of any kind. */
    @Benchmark
    public List<Event> latest50() {
        return store.query(latest50);
    }

    /** The newest 50 posts and reposts. */
    @Benchmark
    public List<Event> latest50PostsAndReposts() {
        return store.query(timeline50);
    }

    /** The newest 50 events tagging one user (replies, likes, reposts of theirs). */
    @Benchmark
    public List<Event> latest50MentioningAUser() {
        return store.query(mentions50);
    }

    /** Posts in a ten-minute window (about 900 events), as a later timeline poll asks. */
    @Benchmark
    public List<Event> postsInTenMinutes() {
        return store.query(tenMinutes);
    }

    @Benchmark
    public Optional<Event> profileOfAnAuthor() {
        return store.latestReplaceable(someAuthor, 0);
    }

    @Benchmark
    public Optional<Event> getById() {
        return store.get(someId);
    }
}
