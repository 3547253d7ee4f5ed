package org.nostrp2p.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nostrp2p.model.Event;

/**
 * A separate JVM that uses a store, for tests that need another process: one that holds a
 * store open, or one that writes until it is killed.
 *
 * <pre>
 *   hold  FILE              open FILE, print "open", keep it open until stdin closes
 *   write FILE OWNER_HEX    put events by OWNER from 4 threads (single puts and batches of
 *                           10), with noise by others to keep retention busy; print
 *                           "ack ID ." once each OWNER event's put has returned
 * </pre>
 */
public final class StoreChild {

    private StoreChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "hold" -> hold(Path.of(args[1]), out);
            case "write" -> write(Path.of(args[1]), args[2], out);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void hold(Path file, PrintStream out) throws Exception {
        try (var store = SqliteEventStore.open(file)) {
            out.println("open");
            out.flush();
            var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (stdin.readLine() != null) {
                // wait for the parent to close our stdin
            }
        }
    }

    private static void write(Path file, String ownerHex, PrintStream out) throws Exception {
        byte[] owner = java.util.HexFormat.of().parseHex(ownerHex);
        var store = SqliteEventStore.builder().path(file).ownerPubkeyHex(ownerHex)
                .maxEvents(300).evictionBatch(50).open();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean batches = t % 2 == 1;
            Thread thread = new Thread(() -> {
                long time = 1_700_000_000L;
                while (true) {
                    time++;
                    if (batches) {
                        List<Event> batch = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                            batch.add(TestEvents.post(i % 2 == 0 ? owner : TestEvents.randomKey(), time));
                        }
                        store.putAll(batch);
                        acknowledge(out, batch.stream().filter(e -> e.pubkeyHex().equals(ownerHex)).toList());
                    } else {
                        store.put(TestEvents.post(TestEvents.randomKey(), time));
                        Event own = TestEvents.post(owner, time);
                        store.put(own);
                        acknowledge(out, List.of(own));
                    }
                }
            }, "writer-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void acknowledge(PrintStream out, List<Event> events) {
        synchronized (out) {
            for (Event event : events) {
                out.println("ack " + event.idHex() + " .");
            }
            out.flush();
        }
    }
}
