package org.nostrp2p.overlay.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the gob payload codecs: a 1 KiB broadcast (a typical NostrP2P post), a
 * 50-peer topology message with 8 connections each, and topology messages of 100 and 300
 * peers with 6 connections each (what a router of a 300-router overlay gossips), through the
 * topology fast path and through the generic gob path. Run with
 * {@code mvn -B -Pbench -pl overlay-core verify -DskipTests -Dbench=WireCodec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WireCodecBenchmark {

    private GossipFrame broadcast;
    private byte[] broadcastBytes;
    private List<PeerUpdate> topology;
    private byte[] topologyBytes;

    @Setup
    public void setUp() {
        broadcast = new GossipFrame("nostrp2p", PeerName.parse("aa:bb:cc:dd:ee:ff"), new byte[1024]);
        broadcastBytes = WireCodec.encodeGossip(broadcast);
        topology = new ArrayList<>();
        for (int p = 1; p <= 50; p++) {
            List<ConnectionSummary> connections = new ArrayList<>();
            for (int c = 1; c <= 8; c++) {
                connections.add(new ConnectionSummary(new PeerName((p + c) % 50 + 1), "10.0.0." + c + ":20000", c % 2 == 0, true));
            }
            topology.add(new PeerUpdate(new PeerSummary(new PeerName(p), "peer-" + p, 1234567890123L * p, p, p, true),
                    connections));
        }
        topologyBytes = WireCodec.encodeTopology(topology);
    }

    @Benchmark
    public byte[] encodeBroadcast() {
        return WireCodec.encodeGossip(broadcast);
    }

    @Benchmark
    public GossipFrame decodeBroadcast() {
        return WireCodec.decodeGossip(broadcastBytes);
    }

    @Benchmark
    public byte[] encodeTopology() {
        return WireCodec.encodeTopology(topology);
    }

    @Benchmark
    public List<PeerUpdate> decodeTopology() {
        return WireCodec.decodeTopology(topologyBytes);
    }

    @Benchmark
    public byte[] encodeLargeTopology(LargeTopology large) {
        return WireCodec.encodeTopology(large.updates);
    }

    @Benchmark
    public List<PeerUpdate> decodeLargeTopology(LargeTopology large) {
        return WireCodec.decodeTopology(large.bytes);
    }

    /** The generic gob path the fast one replaced, kept as its reference: the before of the same run. */
    @Benchmark
    public byte[] encodeLargeTopologyGeneric(LargeTopology large) {
        return WireCodec.encodeTopologyGeneric(large.updates);
    }

    @Benchmark
    public List<PeerUpdate> decodeLargeTopologyGeneric(LargeTopology large) {
        return WireCodec.decodeTopologyGeneric(large.bytes);
    }

    /** A topology message of {@code peers} peers, each with six connections. */
    @State(Scope.Benchmark)
    public static class LargeTopology {

        @Param({"100", "300"})
        public int peers;

        List<PeerUpdate> updates;
        byte[] bytes;

        @Setup
        public void setUp() {
            updates = new ArrayList<>();
            for (int p = 1; p <= peers; p++) {
                List<ConnectionSummary> connections = new ArrayList<>();
                for (int c = 1; c <= 6; c++) {
                    int remote = (p + c * 37) % peers + 1;
                    connections.add(new ConnectionSummary(new PeerName(0x0200_0000_0000L + remote),
                            "127.0.0.1:" + (20000 + remote), c % 2 == 0, c != 6));
                }
                updates.add(new PeerUpdate(new PeerSummary(new PeerName(0x0200_0000_0000L + p), "router-" + p,
                        0x1234_5678_9ABC_DEF0L * p, 3L * p, p % 4096, true), connections));
            }
            bytes = WireCodec.encodeTopology(updates);
        }
    }
}
