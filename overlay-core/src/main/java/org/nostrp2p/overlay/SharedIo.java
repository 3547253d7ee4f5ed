package org.nostrp2p.overlay;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * I/O threads that several {@link Router}s in one process share (see
 * {@link Router.Builder#sharedIo}), so that a hundred routers in a test or a benchmark do not
 * start two hundred threads. Each router takes one of the threads, round-robin as it is built,
 * and runs its actors (topology, connection making) and every one of its connections there, so
 * what it writes goes out without a hop to another thread. Broadcast and unicast writes go
 * ahead of the work queued there, and a thread reads its sockets at least once a second of
 * queued work (Netty's default: shorter made broadcasts faster and joins of hundreds slower,
 * see docs/benchmarks.md). Thread-safe. Close it after every router using it has stopped.
 */
public final class SharedIo implements AutoCloseable {

    private final EventLoopGroup group;

    private SharedIo(int threads) {
        this.group = IoLoops.shared(threads, r -> {
            Thread t = new Thread(r, "overlay-shared-io");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param threads how many I/O threads (at least 1)
     * @return the threads, started
     */
    public static SharedIo create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new SharedIo(threads);
    }

    EventLoopGroup group() {
        return group;
    }

    /** Stops the threads; waits up to 3 s. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
