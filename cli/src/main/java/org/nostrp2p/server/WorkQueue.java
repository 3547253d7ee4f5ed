package org.nostrp2p.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The server's one work thread (storing, answering requests) behind a queue bounded in
 * entries and in bytes: a task is submitted with the bytes it holds (the events it will store),
 * and refused while the tasks waiting hold more than {@code maxBytes}, so packets full of large
 * events cannot fill the heap before the thread gets to them. Thread-safe.
 */
final class WorkQueue {

    /** Tasks waiting at most. */
    static final int MAX_TASKS = 10_000;
    /** Bytes the tasks waiting may hold: 32 MiB, some 500 events of the largest size. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final ThreadPoolExecutor executor;
    private final long maxBytes;
    private final AtomicLong queuedBytes = new AtomicLong();

    WorkQueue(String threadName, int maxTasks, long maxBytes) {
        this.maxBytes = maxBytes;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxTasks), runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Queues {@code task}, which holds about {@code bytes} bytes until it has run.
     *
     * @param whenRefused told why when the queue is full (in tasks or bytes) or stopping
     * @return whether it was queued
     */
    boolean submit(long bytes, Runnable task, Consumer<String> whenRefused) {
        long after = queuedBytes.addAndGet(bytes);
        if (after > maxBytes && after != bytes) {
            queuedBytes.addAndGet(-bytes);
            whenRefused.accept("the work queue holds " + (after - bytes) + " bytes, its limit is " + maxBytes);
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } finally {
                    queuedBytes.addAndGet(-bytes);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            queuedBytes.addAndGet(-bytes);
            whenRefused.accept(executor.isShutdown() ? "the server is stopping" : "the work queue holds " + MAX_TASKS + " tasks");
            return false;
        }
    }

    /** @return the bytes the tasks waiting or running hold */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Finishes the tasks queued (for up to 5 s), then stops the thread. */
    void shutdown() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
