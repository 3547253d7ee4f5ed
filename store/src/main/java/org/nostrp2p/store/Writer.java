package org.nostrp2p.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes, with group commit.
 *
 * <p>Callers hand it tasks and block until the transaction holding their task has committed.
 * The thread takes every task waiting (up to {@link #MAX_GROUP}) into one transaction, each
 * task inside its own savepoint so one failing task fails alone, then commits once. With
 * {@code synchronous=FULL} that commit has reached the disk when {@code COMMIT} returns, so
 * a task's result is only ever handed back for durable work: concurrent writers share one
 * fsync instead of queueing for one each.
 */
final class Writer implements AutoCloseable {

    /** The most tasks one transaction takes, so a commit never waits behind an unbounded group. */
    static final int MAX_GROUP = 256;

    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

    /** A unit of writing; runs on the writer thread inside the open transaction. */
    @FunctionalInterface
    interface Task<T> {
        T run(WriteSession session) throws SQLException;
    }

    private static final Pending<Void> STOP = new Pending<>(session -> null);

    private final WriteSession session;
    private final Lock sharedConnectionLock;
    private final String label;
    private final AtomicLong count;
    private final Runnable afterCommit;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param sharedConnectionLock held around each transaction when readers share the writer's
     *                             connection (the in-memory store), else {@code null}
     * @param count                the number of stored events, updated after each commit
     * @param afterCommit          run on the writer thread after each commit
     */
    Writer(WriteSession session, Lock sharedConnectionLock, String label, AtomicLong count, Runnable afterCommit) {
        this.session = session;
        this.sharedConnectionLock = sharedConnectionLock;
        this.label = label;
        this.count = count;
        this.afterCommit = afterCommit;
        this.thread = new Thread(this::run, "nostrp2p-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs a task in the next transaction and waits until that transaction committed.
     *
     * @throws StoreException when the task or the commit failed
     */
    <T> T execute(Task<T> task) {
        var pending = new Pending<T>(task);
        if (closed) {
            throw closedException();
        }
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            throw closedException();
        }
        try {
            return pending.result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StoreException storeException) {
                // Re-thrown with this caller's stack, the writer's as its cause.
                throw new StoreException(storeException.getMessage(), storeException);
            }
            if (cause instanceof SQLException sqlException) {
                throw Failures.wrap(label, "writing", sqlException);
            }
            if (cause instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            throw new StoreException("writing to " + label + " failed: " + cause, cause);
        }
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    private StoreException closedException() {
        return new StoreException("the event store " + label + " is closed");
    }

    private void run() {
        List<Pending<?>> group = new ArrayList<>(MAX_GROUP);
        boolean stopping = false;
        while (!stopping) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            stopping = group.remove(STOP);
            if (!group.isEmpty()) {
                try {
                    commitGroup(group);
                } catch (Throwable e) {
                    // An Error (out of memory, a class missing from a replaced jar) must not
                    // leave callers waiting on a writer that is gone: fail them and refuse more.
                    closed = true;
                    StoreException failure = new StoreException("the writer of " + label + " stopped: " + e, e);
                    LOG.error("The writer of {} stopped; the store refuses writes from now on", label, e);
                    group.forEach(pending -> pending.result.completeExceptionally(failure));
                    stopping = true;
                }
            }
            group.clear();
        }
        Pending<?> left;
        while ((left = queue.poll()) != null) {
            left.result.completeExceptionally(closedException());
        }
    }

    private void commitGroup(List<Pending<?>> group) {
        if (sharedConnectionLock != null) {
            sharedConnectionLock.lock();
        }
        boolean committed = false;
        try (Statement control = session.connection().createStatement()) {
            control.execute("BEGIN IMMEDIATE");
            try {
                for (Pending<?> pending : group) {
                    pending.runInSavepoint(session, control);
                }
                control.execute("COMMIT");
                committed = true;
            } finally {
                if (!committed) {
                    rollbackQuietly(control);
                }
            }
        } catch (SQLException | RuntimeException e) {
            session.groupRolledBack();
            StoreException failure = e instanceof SQLException sqlException
                    ? Failures.wrap(label, "committing", sqlException)
                    : new StoreException("committing to " + label + " failed: " + e, e);
            // Each caller gets the exception with its cause; this line only ties them together.
            LOG.warn("A write transaction on {} failed; its {} writes get the error: {}", label, group.size(),
                    failure.getMessage());
            for (Pending<?> pending : group) {
                pending.result.completeExceptionally(failure);
            }
            return;
        } finally {
            if (sharedConnectionLock != null) {
                sharedConnectionLock.unlock();
            }
        }
        count.addAndGet(session.groupCommitted());
        for (Pending<?> pending : group) {
            pending.complete();
        }
        try {
            afterCommit.run();
        } catch (RuntimeException e) {
            LOG.warn("After-commit work on {} failed", label, e);
        }
    }

    private static void rollbackQuietly(Statement control) {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
        }
    }

    /** Stops after the tasks already queued; later ones fail with "closed". */
    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        if (!isWriterThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Pending<T> {
        final Task<T> task;
        final CompletableFuture<T> result = new CompletableFuture<>();
        private T value;
        private Throwable error;

        Pending(Task<T> task) {
            this.task = task;
        }

        void runInSavepoint(WriteSession session, Statement control) throws SQLException {
            session.beginTask();
            control.execute("SAVEPOINT task");
            try {
                value = task.run(session);
            } catch (SQLException | RuntimeException e) {
                // The task fails alone; the rest of the group still commits.
                control.execute("ROLLBACK TO task");
                control.execute("RELEASE task");
                error = e;
                return;
            }
            control.execute("RELEASE task");
            session.taskSucceeded();
        }

        void complete() {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }
    }
}
