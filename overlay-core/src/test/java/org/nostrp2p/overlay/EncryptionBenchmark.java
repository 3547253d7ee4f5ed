package org.nostrp2p.overlay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.nostrp2p.overlay.name.PeerName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Broadcast throughput between two Java routers on loopback, plain against encrypted (a mesh
 * password: every frame a NaCl secretbox), in messages per second: each operation is one
 * broadcast of {@value #PAYLOAD_BYTES} bytes from one router, counted when the other's
 * gossiper has it. {@code plain} and {@code encrypted} run one after the other; the
 * {@code paired} group runs both at once, one thread each, so that both see the same machine
 * (the fair ratio on a shared machine). After each iteration of {@code plain} and
 * {@code encrypted} it prints the process's CPU time per message, a figure that the machine's
 * load does not inflate as much as it does wall-clock throughput.
 * Run: {@code mvn -B -Pbench -pl overlay-core verify -DskipTests -Dbench=EncryptionBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncryptionBenchmark {

    static final int BATCH = 1_000;
    static final int PAYLOAD_BYTES = 512;

    /** Two connected routers, and a counter of what the second received. */
    abstract static class Pair {
        private Router sender;
        private Router receiver;
        private Gossip gossip;
        private final AtomicLong received = new AtomicLong();
        private long expected;
        private long sequence;
        private final byte[] payload = new byte[PAYLOAD_BYTES];
        private long cpuAtIterationStart;
        private long receivedAtIterationStart;

        abstract byte[] password();

        abstract long nameBase();

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            sender = Router.builder().name(new PeerName(nameBase() + 1)).listen("127.0.0.1", 0).peerDiscovery(false)
                    .neighbourBudget(1e7, 1e10) // measure the codec, not the per-neighbour budget
                    .password(password()).build();
            receiver = Router.builder().name(new PeerName(nameBase() + 2)).listen("127.0.0.1", 0).peerDiscovery(false)
                    .neighbourBudget(1e7, 1e10) // measure the codec, not the per-neighbour budget
                    .password(password()).build();
            gossip = sender.newGossip("bench", new Gossiper() {

                @Override
                public GossipData onGossipBroadcast(PeerName source, byte[] update) {
                    return null;
                }

                @Override
                public void onGossipUnicast(PeerName source, byte[] message) {
                }
            });
            receiver.newGossip("bench", new Gossiper() {

                @Override
                public GossipData onGossipBroadcast(PeerName source, byte[] update) {
                    received.incrementAndGet();
                    return null;
                }

                @Override
                public void onGossipUnicast(PeerName source, byte[] message) {
                }
            });
            sender.start();
            receiver.start();
            sender.connect(List.of("127.0.0.1:" + receiver.port()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!sender.status().unicastRoutes().containsKey(receiver.name())
                    || !receiver.status().unicastRoutes().containsKey(sender.name())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the routers did not connect in 30 s");
                }
                Thread.sleep(20);
            }
            new Random(1).nextBytes(payload);
        }

        long broadcastBatch() {
            for (int i = 0; i < BATCH; i++) {
                // each message its own bytes: between Java peers the same bytes from the same source
                // within a minute are one broadcast (BroadcastRepair), delivered once
                byte[] message = payload.clone();
                java.nio.ByteBuffer.wrap(message).putLong(sequence++);
                gossip.gossipBroadcast(GossipData.ofMessages(message));
            }
            expected += BATCH;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.get() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + received.get() + " of " + expected + " broadcasts arrived");
                }
                LockSupport.parkNanos(200_000); // leave the cores to the routers
            }
            return received.get();
        }

        @Setup(Level.Iteration)
        public void startIteration() {
            cpuAtIterationStart = processCpuNanos();
            receivedAtIterationStart = received.get();
        }

        @TearDown(Level.Iteration)
        public void reportCpu() {
            long messages = received.get() - receivedAtIterationStart;
            if (messages > 0) {
                System.out.printf(" [%s: %.1f µs CPU per message, all threads of the process]%n",
                        getClass().getSimpleName(), (processCpuNanos() - cpuAtIterationStart) / 1000.0 / messages);
            }
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        @TearDown(Level.Trial)
        public void stop() {
            sender.stop();
            receiver.stop();
        }
    }

    /** Routers without a password. */
    @State(Scope.Benchmark)
    public static class PlainPair extends Pair {
        @Override
        byte[] password() {
            return null;
        }

        @Override
        long nameBase() {
            return 0x0b0000000000L;
        }
    }

    /** Routers with one password. */
    @State(Scope.Benchmark)
    public static class EncryptedPair extends Pair {
        @Override
        byte[] password() {
            return "encryption benchmark".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        long nameBase() {
            return 0x0b0000000100L;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long plain(PlainPair pair) {
        return pair.broadcastBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long encrypted(EncryptedPair pair) {
        return pair.broadcastBatch();
    }

    @Benchmark
    @Group("paired")
    @OperationsPerInvocation(BATCH)
    public long pairedPlain(PlainPair pair) {
        return pair.broadcastBatch();
    }

    @Benchmark
    @Group("paired")
    @OperationsPerInvocation(BATCH)
    public long pairedEncrypted(EncryptedPair pair) {
        return pair.broadcastBatch();
    }
}
