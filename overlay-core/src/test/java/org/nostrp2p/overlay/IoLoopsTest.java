package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/** The event loops routers run on ({@link IoLoops}), and starting a router on a busy one. */
class IoLoopsTest {

    @Test
    void aRouterStartedOnALoopBusyWithOtherWorkServesTheConnectionMadeToItAtOnce() throws Exception {
        // shared loops that read their sockets every 10 ms of tasks, as a router's own loops do
        try (SharedIo io = oneLoopReadingEvery(10)) {
            EventLoop loop = (EventLoop) io.group().next();
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> await(release));
            Router router = Router.builder().name(PeerName.parse("00:00:00:00:0b:01")).listen("127.0.0.1", 0)
                    .sharedIo(io).build();
            router.start(); // its registration waits on the loop, behind the task holding it
            try {
                // then work queued behind the registration, as hundreds of routers sharing a
                // loop queue theirs: the loop reads its sockets between these tasks, and
                // Netty's handler for accepted channels, added in a task queued as the
                // registration completes, comes after them
                for (int i = 0; i < 200; i++) {
                    loop.execute(() -> sleep(2));
                }
                try (RawPeer raw = new RawPeer(router.port())) {
                    release.countDown();
                    // accepted before that handler was there, the connection was never read,
                    // and this read timed out
                    assertArrayEquals(new byte[] {'w', 'e', 'a', 'v', 'e', 2, 2}, raw.read(7),
                            "the router's protocol header");
                }
            } finally {
                release.countDown();
                router.stop();
            }
        }
    }

    @Test
    void aListeningSocketOnALoopBusyWithOtherWorkAcceptsTheConnectionsWaitingThereTogether() throws Exception {
        List<RawPeer> diallers = new ArrayList<>();
        // a loop that reads its sockets once per 50 ms of queued tasks
        try (SharedIo io = oneLoopReadingEvery(50)) {
            EventLoop loop = (EventLoop) io.group().next();
            Router router = Router.builder().name(PeerName.parse("00:00:00:00:0b:02")).listen("127.0.0.1", 0)
                    .sharedIo(io).build();
            router.start();
            try {
                try (RawPeer first = new RawPeer(router.port())) {
                    first.read(7); // accepting
                }
                CountDownLatch release = new CountDownLatch(1);
                loop.execute(() -> await(release));
                int dials = 40;
                for (int i = 0; i < dials; i++) {
                    diallers.add(new RawPeer(router.port())); // in the accept queue
                }
                // then 500 ms of other routers' work: the loop reads its sockets about ten times
                for (int i = 0; i < 100; i++) {
                    loop.execute(() -> sleep(5));
                }
                AtomicInteger answered = new AtomicInteger(-1);
                CountDownLatch counted = new CountDownLatch(1);
                loop.execute(() -> {
                    answered.set((int) diallers.stream().filter(IoLoopsTest::headerArrived).count());
                    counted.countDown();
                });
                release.countDown();
                assertTrue(counted.await(10, TimeUnit.SECONDS));
                // read with auto-read off, the socket accepted one connection per read asked
                // for: one of the forty had its header by then
                assertEquals(dials, answered.get(), "diallers that had the router's header once the queued work was done");
            } finally {
                for (RawPeer dialler : diallers) {
                    dialler.close();
                }
                router.stop();
            }
        }
    }

    // One shared loop whose task quantum is quantumMillis (the property is read as it is made).
    private static SharedIo oneLoopReadingEvery(long quantumMillis) {
        System.setProperty(IoLoops.TASK_QUANTUM_PROPERTY, Long.toString(quantumMillis));
        try {
            return SharedIo.create(1);
        } finally {
            System.clearProperty(IoLoops.TASK_QUANTUM_PROPERTY);
        }
    }

    private static boolean headerArrived(RawPeer dialler) {
        try {
            return dialler.socket.getInputStream().available() >= 7;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void whileABroadcastCrossesThemSharedLoopsReadBetweenTheirTasksAndOtherwiseAfterTheirBacklog() throws Exception {
        int backlog = 150; // 2 ms each: 0.3 s of other routers' work, well inside the 1 s quantum
        assertEquals(backlog, tasksRunBeforeAByteIsRead(false, backlog),
                "without a broadcast in flight the loop runs its queued tasks, then reads");
        int ran = tasksRunBeforeAByteIsRead(true, backlog);
        assertTrue(ran < backlog / 2, "with one in flight it reads after about 10 ms of them, not after all: " + ran);
    }

    // Queues backlog tasks on a shared loop, then has a byte written to a socket the loop reads
    // (marking a broadcast in flight first, or not): how many of the tasks had run when it was read.
    private static int tasksRunBeforeAByteIsRead(boolean inFlight, int backlog) throws Exception {
        try (SharedIo io = SharedIo.create(1); ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            EventLoop loop = (EventLoop) io.group().next();
            AtomicInteger tasksRun = new AtomicInteger();
            AtomicInteger atRead = new AtomicInteger(-1);
            CountDownLatch read = new CountDownLatch(1);
            Channel channel = new Bootstrap().group(loop)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            atRead.compareAndSet(-1, tasksRun.get());
                            read.countDown();
                        }
                    })
                    .connect(server.getLocalSocketAddress()).sync().channel();
            try (Socket remote = server.accept()) {
                // the loop is held inside a task while the backlog is queued and the byte sent,
                // so that it can only read the byte by ending a turn of tasks
                CountDownLatch release = holdInsideATask(loop);
                for (int i = 0; i < backlog; i++) {
                    loop.execute(() -> {
                        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        tasksRun.incrementAndGet();
                    });
                }
                if (inFlight) {
                    IoLoops.inFlight(loop); // as a relay written on one of the group's loops marks it
                }
                remote.getOutputStream().write(1);
                remote.getOutputStream().flush();
                release.countDown();
                assertTrue(read.await(10, TimeUnit.SECONDS));
                return atRead.get();
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    void urgentTasksRunBeforeTheTasksAlreadyQueuedAndInTheirOwnOrder() throws Exception {
        try (SharedIo io = SharedIo.create(1)) {
            EventLoop loop = (EventLoop) io.group().next();
            List<String> ran = new CopyOnWriteArrayList<>();
            CountDownLatch release = holdInsideATask(loop);
            CountDownLatch done = new CountDownLatch(1);
            loop.execute(() -> ran.add("queued 1"));
            loop.execute(() -> ran.add("queued 2"));
            IoLoops.executeUrgent(loop, () -> ran.add("urgent 1"));
            IoLoops.executeUrgent(loop, () -> ran.add("urgent 2"));
            loop.execute(done::countDown);
            release.countDown();
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(List.of("urgent 1", "urgent 2", "queued 1", "queued 2"), ran);
        }
    }

    @Test
    void anUrgentTaskWakesAnIdleLoop() throws Exception {
        try (SharedIo io = SharedIo.create(1)) {
            EventLoop loop = (EventLoop) io.group().next();
            CountDownLatch started = new CountDownLatch(1);
            loop.execute(started::countDown);
            assertTrue(started.await(5, TimeUnit.SECONDS));
            Thread.sleep(50); // the loop waits in select with nothing to do
            CountDownLatch ran = new CountDownLatch(1);
            IoLoops.executeUrgent(loop, ran::countDown);
            assertTrue(ran.await(2, TimeUnit.SECONDS), "the urgent task ran while nothing else was queued");
        }
    }

    // Has loop run a task that waits for the latch returned, and returns once it runs.
    private static CountDownLatch holdInsideATask(EventLoop loop) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            holding.countDown();
            await(release);
        });
        assertTrue(holding.await(5, TimeUnit.SECONDS), "the loop took the holding task");
        return release;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
