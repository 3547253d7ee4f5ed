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
 * {@link SharedIo}'s), with an urgent lane ({@link #executeUrgent}) and a chosen task quantum:
 * how long a loop runs queued tasks before it reads its sockets again.
 *
 * <p>Netty's loop alternates reading ready sockets with running queued tasks, and by default
 * runs tasks for up to a second before it reads again. A router's own loops queue little but
 * writes, and read every {@link #OWN_TASK_QUANTUM_MILLIS}: a burst of queued writes does not
 * hold back what arrives. Routers sharing loops also queue their actors' work there (see
 * {@link LoopActor}), and there the quantum is a trade-off measured in docs/benchmarks.md: at
 * 10 ms a frame that arrived (a broadcast to relay) waits at most that long per hop, and a
 * 500-peer broadcast took 0.2–0.5 s instead of 1.0–4.2 s; but every router's timers then run
 * on time, and in a 500-peer join the routers did a third more work (connection maker scans,
 * reachability walks) and converged 30–40% later. Shared loops keep Netty's second
 * ({@link #SHARED_TASK_QUANTUM_MILLIS}). Broadcast and unicast writes take the urgent lane in
 * both; with the one-second quantum that alone left a 500-peer broadcast at 1.0–4.2 s (the wait
 * is for the loop to read the socket, not to write).
 */
final class IoLoops {

    /** The task quantum of a router's own loops. */
    static final long OWN_TASK_QUANTUM_MILLIS = 10;
    /** The task quantum of a {@link SharedIo}'s loops (Netty's default). */
    static final long SHARED_TASK_QUANTUM_MILLIS = 1_000;
    /** System property, read when shared loops are made (measurements): their quantum in milliseconds instead. */
    static final String TASK_QUANTUM_PROPERTY = "nostrp2p.overlay.taskQuantumMillis";

    private IoLoops() {
    }

    /** @return {@code threads} NIO event loops for one router */
    static MultiThreadIoEventLoopGroup own(int threads, ThreadFactory threadFactory) {
        return new Group(threads, threadFactory, OWN_TASK_QUANTUM_MILLIS);
    }

    /** @return {@code threads} NIO event loops for routers to share */
    static MultiThreadIoEventLoopGroup shared(int threads, ThreadFactory threadFactory) {
        return new Group(threads, threadFactory,
                Math.max(1, Long.getLong(TASK_QUANTUM_PROPERTY, SHARED_TASK_QUANTUM_MILLIS)));
    }

    private static final class Group extends MultiThreadIoEventLoopGroup {

        Group(int threads, ThreadFactory threadFactory, long quantumMillis) {
            // newChild runs in the super constructor: the quantum goes as its argument
            super(threads, threadFactory, NioIoHandler.newFactory(), quantumMillis);
        }

        @Override
        protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
            return new Loop(this, executor, ioHandlerFactory, (Long) args[0]);
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

        Loop(Group group, Executor executor, IoHandlerFactory ioHandlerFactory, long quantumMillis) {
            super(group, executor, ioHandlerFactory, Integer.MAX_VALUE, RejectedExecutionHandlers.reject(), quantumMillis);
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
