package org.nostrp2p.rest.relay;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** Runs tasks one after another, in order, on a shared pool; at most {@link RelayLimits#MAX_PENDING_MESSAGES} wait. */
final class SerialQueue {
    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialQueue(Executor pool) {
        this.pool = pool;
    }

    synchronized boolean offer(Runnable task) {
        if (tasks.size() >= RelayLimits.MAX_PENDING_MESSAGES) {
            return false;
        }
        tasks.addLast(task);
        if (!running) {
            running = true;
            pool.execute(this::drain);
        }
        return true;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.pollFirst();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            next.run();
        }
    }
}
