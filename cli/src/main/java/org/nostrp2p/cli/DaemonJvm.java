package org.nostrp2p.cli;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM options of a small personal server, as the {@code ./nostrp2p} launcher applies them
 * (and the jar's manifest names them under {@code Recommended-JVM-Options}): a heap capped at
 * 192 MB that G1 gives back when idle (a periodic collection every 15 s once nothing else
 * collects), capped direct memory, metaspace and code cache, exit on OutOfMemoryError so
 * that a supervisor restarts the server (nothing acknowledged is lost: it is on disk), no
 * per-thread cache of large temporary direct buffers (the JDK keeps one as large as the
 * largest answer ever written, per thread), and SQLite page caches of 8 MiB for the writer
 * and 2 MiB per reader instead of 64 and 16, and no memory-mapped database (the kernel's page
 * cache holds the file all the same, outside the process's RSS).
 * Started another way ({@code java -jar} with no options), the JVM takes a quarter of the
 * machine's memory; {@link #hint()} says so at start.
 */
final class DaemonJvm {

    /** The options, in the launcher's order; keep {@code nostrp2p} in step (DaemonJvmTest checks). */
    static final List<String> OPTIONS = List.of(
            "-Xms16m", "-Xmx192m", "-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=15000", "-XX:G1PeriodicGCSystemLoadThreshold=0",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxDirectMemorySize=96m", "-XX:ReservedCodeCacheSize=64m",
            "-XX:MaxMetaspaceSize=128m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError",
            "-Djdk.nio.maxCachedBufferSize=262144", "-Dnostrp2p.store.writerCacheKiB=8192", "-Dnostrp2p.store.readerCacheKiB=2048",
            "-Dnostrp2p.store.mmapBytes=0");

    /** A heap cap above this means the JVM was started without a cap chosen for a small server. */
    static final long UNTUNED_HEAP_BYTES = 512L * 1024 * 1024;

    private DaemonJvm() {
    }

    /** @return a line advising the daemon options when this JVM runs with a large default heap, else null */
    static String hint() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        boolean heapGiven = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize") || a.startsWith("-XX:MaxRAMPercentage"));
        if (heapGiven || maxHeap <= UNTUNED_HEAP_BYTES) {
            return null;
        }
        return "note: the JVM may grow to " + maxHeap / (1024 * 1024) + " MB of heap; a personal server needs far less. "
                + "Start it with ./nostrp2p, or: java " + String.join(" ", OPTIONS) + " -jar nostrp2p.jar serve ...";
    }
}
