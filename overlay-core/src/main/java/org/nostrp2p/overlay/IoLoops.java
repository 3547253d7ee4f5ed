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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * is for the loop to read the socket, not to write). So while one crosses them (a broadcast or
 * unicast was written on one of the group's loops in the last {@link #IN_FLIGHT_MILLIS}, and
 * each relay starts that again) shared loops read every {@link #IN_FLIGHT_QUANTUM_MILLIS} of
 * tasks: a broadcast sent as a 500-peer join converged reached every router in 0.2–0.4 s
 * instead of 0.7–1.5 s, and the join, which sends none, is not slowed.
 */
final class IoLoops {

    /** The task quantum of a router's own loops. */
    static final long OWN_TASK_QUANTUM_MILLIS = 10;
    /** The task quantum of a {@link SharedIo}'s loops (Netty's default). */
    static final long SHARED_TASK_QUANTUM_MILLIS = 1_000;
    /** How often shared loops read while a broadcast or unicast crosses them (see {@link #IN_FLIGHT_MILLIS}). */
    static final long IN_FLIGHT_QUANTUM_MILLIS = 10;
    private static final long IN_FLIGHT_QUANTUM_NANOS = TimeUnit.MILLISECONDS.toNanos(IN_FLIGHT_QUANTUM_MILLIS);
    /**
     * For how long after a broadcast or unicast is written on a shared loop every loop of its
     * group reads every {@link #IN_FLIGHT_QUANTUM_MILLIS}: its next hop is likely a router on
     * the same loops, and each relay starts the time again.
     */
    static final long IN_FLIGHT_MILLIS = 200;
    private static final long IN_FLIGHT_NANOS = TimeUnit.MILLISECONDS.toNanos(IN_FLIGHT_MILLIS);
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

        /**
         * Until when ({@link System#nanoTime()}) this group's loops read every
         * {@link #IN_FLIGHT_QUANTUM_MILLIS}: a broadcast or unicast was written on one of them
         * lately; 0 when none was.
         */
        final AtomicLong readSoonUntil = new AtomicLong();

        Group(int threads, ThreadFactory threadFactory, long quantumMillis) {
            // newChild runs in the super constructor: the quantum goes as its argument
            super(threads, threadFactory, NioIoHandler.newFactory(), quantumMillis);
        }

        @Override
        protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
            return new Loop(this, executor, ioHandlerFactory, (Long) args[0]);
        }

        // Marked again at most once per quantum: every relay writing the one shared value
        // would take its cache line from the loops that read it before each task.
        void inFlight() {
            long until = System.nanoTime() + IN_FLIGHT_NANOS;
            long marked = readSoonUntil.get();
            if (marked == 0 || until - marked > IN_FLIGHT_QUANTUM_NANOS) {
                readSoonUntil.set(until == 0 ? 1 : until);
            }
        }
    }

    /**
     * Runs {@code task} on {@code loop} before the tasks already queued there (after the one
     * running), when the loop is one of these; otherwise as {@link EventLoop#execute} does.
     */
    static void executeUrgent(EventLoop loop, Runnable task) {
        if (loop instanceof Loop ours) {
            ours.group.inFlight();
            ours.executeUrgent(task);
        } else {
            loop.execute(task);
        }
    }

    /**
     * A broadcast or unicast is written on {@code loop} now, without the urgent lane: the loops
     * of its group read promptly for a while (see {@link #IN_FLIGHT_MILLIS}).
     */
    static void inFlight(EventLoop loop) {
        if (loop instanceof Loop ours) {
            ours.group.inFlight();
        }
    }

    // A loop with an urgent lane: its tasks are taken before the ordinary queue's.
    private static final class Loop extends SingleThreadIoEventLoop {

        private final Queue<Runnable> urgent = new ConcurrentLinkedQueue<>();
        final Group group;
        // Loop thread only: when the tasks being run began to be taken (0: between turns).
        private long turnStartNanos;

        Loop(Group group, Executor executor, IoHandlerFactory ioHandlerFactory, long quantumMillis) {
            super(group, executor, ioHandlerFactory, Integer.MAX_VALUE, RejectedExecutionHandlers.reject(), quantumMillis);
            this.group = group;
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
            if (task != null) {
                return task;
            }
            long until = group.readSoonUntil.get();
            if (until != 0 && !isShuttingDown()) {
                long now = System.nanoTime();
                if (turnStartNanos == 0) {
                    turnStartNanos = now;
                } else if (now - until >= 0) {
                    group.readSoonUntil.compareAndSet(until, 0);
                } else if (now - turnStartNanos >= IN_FLIGHT_QUANTUM_NANOS) {
                    return null; // this turn ends here: the loop reads its sockets, then takes the rest
                }
            }
            return super.pollTask();
        }

        @Override
        protected void afterRunningAllTasks() {
            turnStartNanos = 0;
            super.afterRunningAllTasks();
        }

        @Override
        protected boolean hasTasks() {
            return !urgent.isEmpty() || super.hasTasks();
        }
    }
}
