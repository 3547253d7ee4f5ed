package org.nostrp2p.cli;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM options of a small personal server, as the {@code ./nostrp2p} launcher applies them
 * (and the jar's manifest names them under {@code Recommended-JVM-Options}): a heap capped at
 * 192 MB that G1 gives back when idle (a periodic collection every 15 s once nothing else
 * collects), capped direct memory, metaspace and code cache, and exit on OutOfMemoryError so
 * that a supervisor restarts the server (nothing acknowledged is lost: it is on disk).
 * Started another way ({@code java -jar} with no options), the JVM takes a quarter of the
 * machine's memory; {@link #hint()} says so at start.
 */
final class DaemonJvm {

    /** The options, in the launcher's order; keep {@code nostrp2p} in step (DaemonJvmTest checks). */
    static final List<String> OPTIONS = List.of(
            "-Xms16m", "-Xmx192m", "-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=15000", "-XX:G1PeriodicGCSystemLoadThreshold=0",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxDirectMemorySize=96m", "-XX:ReservedCodeCacheSize=64m",
            "-XX:MaxMetaspaceSize=128m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError");

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
