package org.nostrp2p.overlay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Broadcast throughput between two Java routers on loopback, plain against encrypted (a mesh
 * password: every frame a NaCl secretbox), in messages per second: each operation is one
 * broadcast of {@code payloadBytes} from one router, counted when the other's gossiper has it.
 * Run: {@code mvn -B -Pbench -pl overlay-core verify -DskipTests -Dbench=EncryptionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncryptionBenchmark {

    private static final int BATCH = 2_000;

    @Param({"plain", "encrypted"})
    public String mode;

    @Param({"512"})
    public int payloadBytes;

    private Router sender;
    private Router receiver;
    private Gossip gossip;
    private final AtomicLong received = new AtomicLong();
    private long expected;
    private byte[] payload;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        byte[] password = "encryption benchmark".getBytes(StandardCharsets.UTF_8);
        boolean encrypted = mode.equals("encrypted");
        sender = Router.builder().name(new PeerName(0x0b0000000001L)).listen("127.0.0.1", 0).peerDiscovery(false)
                .password(encrypted ? password : null).build();
        receiver = Router.builder().name(new PeerName(0x0b0000000002L)).listen("127.0.0.1", 0).peerDiscovery(false)
                .password(encrypted ? password : null).build();
        gossip = sender.newGossip("bench", new Gossiper() {
            @Override
            public GossipData gossip() {
                return null;
            }

            @Override
            public GossipData onGossip(byte[] message) {
                return null;
            }

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
            public GossipData gossip() {
                return null;
            }

            @Override
            public GossipData onGossip(byte[] message) {
                return null;
            }

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
        payload = new byte[payloadBytes];
        new java.util.Random(1).nextBytes(payload);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long broadcast() throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            gossip.gossipBroadcast(BytesData.of(payload));
        }
        expected += BATCH;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + received.get() + " of " + expected + " broadcasts arrived");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // leave the cores to the routers
        }
        return received.get();
    }

    @TearDown(Level.Trial)
    public void stop() {
        sender.stop();
        receiver.stop();
    }
}
