package org.nostrp2p.store.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.nostrp2p.model.Event;
import org.nostrp2p.store.EventStore.PutResult;
import org.nostrp2p.store.SqliteEventStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable inserts into a file store (WAL, synchronous=FULL: every figure includes the fsync of
 * its commit). Throughput in events per second: one put at a time, eight threads putting at
 * once (group commit shares one fsync among them), and batches of 1,000 through putAll.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class StoreInsertBenchmark {

    private Path dir;
    private SqliteEventStore store;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("store-insert-bench");
        store = SqliteEventStore.builder().path(dir.resolve("events.db"))
                .maxEvents(Long.MAX_VALUE).backgroundRetention(false).open();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        long events = store.count();
        store.close();
        long bytes = Files.size(dir.resolve("events.db"));
        System.out.printf("%n[disk] %d events in %d bytes: %.0f bytes/event%n", events, bytes, (double) bytes / events);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Each thread's own events. */
    @State(Scope.Thread)
    public static class Source {
        SyntheticTimeline timeline;

        @Setup(Level.Trial)
        public void create() {
            timeline = new SyntheticTimeline(Thread.currentThread().getId() * 7919L);
        }
    }

    /** A batch made before the measured call, so only storing is measured. */
    @State(Scope.Thread)
    public static class Batch {
        List<Event> events;

        @Setup(Level.Invocation)
        public void make(Source source) {
            events = source.timeline.next(1000);
        }
    }

    @Benchmark
    @Threads(1)
    public PutResult putOneAtATime(Source source) {
        return store.put(source.timeline.next());
    }

    @Benchmark
    @Threads(8)
    public PutResult putFromEightThreads(Source source) {
        return store.put(source.timeline.next());
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(1000)
    public List<PutResult> putAllBatchesOf1000(Batch batch) {
        return store.putAll(batch.events);
    }
}
