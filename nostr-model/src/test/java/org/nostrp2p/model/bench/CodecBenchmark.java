package org.nostrp2p.model.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.codec.Np2pCodec;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.crypto.SecretKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Per-event cost of the MessagePack codec, of parsing a client's JSON event, and of the NIP-01 id. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    private Event event;
    private byte[] eventBytes;
    private String eventJson;
    private byte[] packetBytes;

    @Setup
    public void setUp() {
        SecretKey key = SecretKey.generate();
        event = Events.sign(key, 1732492800L, 1,
                List.of(List.of("e", "a".repeat(64), "", "root"), List.of("p", "b".repeat(64))),
                "a typical post of a hundred characters or so, with an emoji 🌏 and some 日本語 text in it.");
        eventBytes = Np2pCodec.encodeEvent(event);
        eventJson = EventJson.write(event);
        List<Event> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundred.add(event);
        }
        packetBytes = Np2pCodec.encodePacket(Np2pPacket.ofEvents(hundred));
    }

    @Benchmark
    public byte[] msgpackEncodeEvent() {
        return Np2pCodec.encodeEvent(event);
    }

    @Benchmark
    public Event msgpackDecodeEvent() {
        return Np2pCodec.decodeEvent(eventBytes);
    }

    /** A catch-up packet of 100 events; divide by 100 for the per-event figure. */
    @Benchmark
    public Np2pPacket msgpackDecodePacketOf100() {
        return Np2pCodec.decodePacket(packetBytes);
    }

    @Benchmark
    public Event jsonParse() {
        return EventJson.parse(eventJson);
    }

    @Benchmark
    public byte[] jsonParseAndComputeId() {
        Event parsed = EventJson.parse(eventJson);
        return Events.computeId(parsed.pubkey(), parsed.createdAt(), parsed.kind(), parsed.tags(), parsed.content());
    }

    @Benchmark
    public byte[] computeId() {
        return Events.computeId(event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content());
    }

    @Benchmark
    public String jsonWrite() {
        return EventJson.write(event);
    }
}
