package org.nostrp2p.overlay;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The event loops a router reads and writes its connections on (its own, or a
 * {@link SharedIo}'s), built to go back to reading sockets every
 * {@link #TASK_QUANTUM_MILLIS} of queued tasks.
 *
 * <p>Netty's loop alternates reading ready sockets with running queued tasks, and by default
 * runs tasks for up to a second before it reads again. Routers sharing loops queue their actors'
 * work there (see {@link LoopActor}), so in a burst of topology work a frame that had arrived,
 * a broadcast to relay or a handshake step, waited up to a second per hop for the loop to read
 * its socket. A short quantum bounds that wait without changing what runs: tasks keep their
 * order, and a loop with nothing to read goes straight back to them.
 */
final class IoLoops {

    /** How long a loop runs queued tasks before it reads its sockets again (Netty's default: 1,000 ms). */
    static final long TASK_QUANTUM_MILLIS = 10;
    /** System property, read when the loops are made (measurements): the quantum in milliseconds instead. */
    static final String TASK_QUANTUM_PROPERTY = "nostrp2p.overlay.taskQuantumMillis";

    private IoLoops() {
    }

    /** @return {@code threads} NIO event loops with the short task quantum */
    static MultiThreadIoEventLoopGroup create(int threads, ThreadFactory threadFactory) {
        return new Group(threads, threadFactory);
    }

    private static final class Group extends MultiThreadIoEventLoopGroup {

        Group(int threads, ThreadFactory threadFactory) {
            super(threads, threadFactory, NioIoHandler.newFactory());
        }

        @Override
        protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
            return new Loop(this, executor, ioHandlerFactory);
        }
    }

    /**
     * Runs {@code task} on {@code loop} before the tasks already queued there (after the one
     * running), when the loop is one of these; otherwise as {@link EventLoop#execute} does.
     */
    static void executeUrgent(EventLoop loop, Runnable task) {
        if (loop instanceof Loop ours) {
            ours.executeUrgent(task);
        } else {
            loop.execute(task);
        }
    }

    // A loop with an urgent lane: its tasks are taken before the ordinary queue's.
    private static final class Loop extends SingleThreadIoEventLoop {

        private final Queue<Runnable> urgent = new ConcurrentLinkedQueue<>();

        Loop(Group group, Executor executor, IoHandlerFactory ioHandlerFactory) {
            super(group, executor, ioHandlerFactory, Integer.MAX_VALUE, RejectedExecutionHandlers.reject(),
                    Math.max(1, Long.getLong(TASK_QUANTUM_PROPERTY, TASK_QUANTUM_MILLIS)));
        }

        void executeUrgent(Runnable task) {
            if (isShuttingDown()) {
                execute(task); // refused or run as Netty decides for a loop that is stopping
                return;
            }
            urgent.add(task);
            if (!inEventLoop()) {
                wakeup(false);
            }
        }

        @Override
        protected Runnable pollTask() {
            Runnable task = urgent.poll();
            return task != null ? task : super.pollTask();
        }

        @Override
        protected boolean hasTasks() {
            return !urgent.isEmpty() || super.hasTasks();
        }
    }
}
