package org.nostrp2p.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * The connections that read. A file store has several, each reading a consistent WAL
 * snapshot while the writer goes on; the in-memory store has only the writer's connection,
 * shared under a lock (an in-memory database is private to its connection).
 */
final class ReaderPool implements AutoCloseable {

    /** A read on a pooled connection. */
    @FunctionalInterface
    interface Read<T> {
        T run(StatementCache statements) throws SQLException;
    }

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all;
    private final Map<Connection, StatementCache> caches = new IdentityHashMap<>();
    private final Lock sharedLock;
    private final String label;
    private volatile boolean closed;

    private ReaderPool(List<Connection> connections, Lock sharedLock, String label) {
        this.all = List.copyOf(connections);
        all.forEach(connection -> caches.put(connection, new StatementCache(connection)));
        this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
        this.sharedLock = sharedLock;
        this.label = label;
    }

    /** Readers with connections of their own. */
    static ReaderPool of(List<Connection> connections, String label) {
        return new ReaderPool(connections, null, label);
    }

    /** One connection, shared with the writer under {@code lock}. */
    static ReaderPool shared(Connection connection, Lock lock, String label) {
        return new ReaderPool(List.of(connection), lock, label);
    }

    <T> T read(Read<T> read) {
        if (closed) {
            throw new StoreException("the event store " + label + " is closed");
        }
        if (sharedLock != null) {
            sharedLock.lock();
            try {
                return run(all.get(0), read);
            } finally {
                sharedLock.unlock();
            }
        }
        Connection connection = null;
        try {
            while (connection == null) {
                if (closed) {
                    throw new StoreException("the event store " + label + " is closed");
                }
                connection = idle.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to read " + label, e);
        }
        try {
            return run(connection, read);
        } finally {
            idle.add(connection);
        }
    }

    private <T> T run(Connection connection, Read<T> read) {
        try {
            return read.run(caches.get(connection));
        } catch (SQLException e) {
            throw Failures.wrap(label, "reading", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (sharedLock != null) {
            sharedLock.lock();
            try {
                caches.values().forEach(StatementCache::close);
            } finally {
                sharedLock.unlock();
            }
            return; // the writer owns and closes the shared connection
        }
        // Wait briefly for reads in flight, so no connection closes under a reader.
        for (int i = 0; i < all.size(); i++) {
            try {
                if (idle.poll(5, TimeUnit.SECONDS) == null) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Connection connection : all) {
            caches.get(connection).close();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing left to protect
            }
        }
    }
}
