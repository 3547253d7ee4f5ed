package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.nostrp2p.overlay.name.PeerName;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The topology fast path ({@link TopologyGobCodec}) is the generic gob path, only faster:
 * the same bytes out, the same values or the same refusal in, on valid and corrupted input.
 */
class TopologyGobCodecProperties {

    /** Decoding may allocate this many bytes per input byte, plus {@link #ALLOCATION_SLACK}. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 64;
    private static final long ALLOCATION_SLACK = 64 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Property(tries = 500)
    void theFastEncodingIsByteForByteTheGenericEncoding(@ForAll("edgeCaseTopologies") List<PeerUpdate> updates) {
        assertArrayEquals(WireCodec.encodeTopologyGeneric(updates), TopologyGobCodec.encode(updates));
    }

    @Property(tries = 500)
    void aTopologyMessageLaidOutFromEntriesEncodedBeforehandIsByteForByteTheGenericGossipFrame(
            @ForAll("edgeCaseTopologies") List<PeerUpdate> updates,
            @ForAll("channels") String channel,
            @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 0xFFFF_FFFF_FFFFL) long source) {
        List<TopologyEntry> entries = updates.stream().map(u -> TopologyEntry.of(u.peer(), u.connections())).toList();
        PeerName name = new PeerName(source);

        byte[] laidOut = WireCodec.encodeTopologyGossip(WireCodec.gossipHead(channel, name), entries);

        assertArrayEquals(WireCodec.encodeGossip(new GossipFrame(channel, name, WireCodec.encodeTopologyGeneric(updates))),
                laidOut);
        assertArrayEquals(WireCodec.encodeTopologyGeneric(updates), TopologyEntry.stream(entries));
    }

    @Property(tries = 500)
    void theFastDecoderReadsEveryGenericEncodingToTheGenericDecodersValues(
            @ForAll("edgeCaseTopologies") List<PeerUpdate> updates) {
        byte[] encoded = WireCodec.encodeTopologyGeneric(updates);

        List<PeerUpdate> fast = TopologyGobReader.decode(encoded);

        assertNotNull(fast, "a stream as mesh writes it takes the fast path");
        assertEquals(WireCodec.decodeTopologyGeneric(encoded), fast);
        assertEquals(updates, fast);
    }

    @Property(tries = 1000)
    void onCorruptedEncodingsTheFastDecoderAnswersAsTheGenericDecoderOrDefersToIt(
            @ForAll("topologies") List<PeerUpdate> updates,
            @ForAll("mutations") WireCodecProperties.Mutation mutation,
            @ForAll @IntRange(min = 0, max = 1 << 20) int where,
            @ForAll byte value) {
        byte[] mutated = mutation.apply(WireCodec.encodeTopologyGeneric(updates), where, value);

        Outcome fast = Outcome.of(() -> TopologyGobReader.decode(mutated));
        Outcome generic = Outcome.of(() -> WireCodec.decodeTopologyGeneric(mutated));

        Statistics.label("fast path").collect(fast.deferred() ? "deferred to the generic decoder" : "answered");
        // about a third: an inserted, deleted or appended byte shifts the message framing, so the
        // next type id no longer matches and the stream rightly goes to the generic decoder
        Statistics.label("fast path").coverage(coverage ->
                coverage.check("answered").percentage(percent -> percent > 20));
        if (fast.deferred()) {
            assertEquals(generic, Outcome.of(() -> WireCodec.decodeTopology(mutated)), "the fallback is the generic decoder");
        } else {
            assertEquals(generic, fast);
        }
    }

    // Topology gossip is decoded where it lies in its frame: the same answer as decoding a copy,
    // valid or corrupted, and nothing is read past its end (the bytes after it here are junk).
    @Property(tries = 1000)
    void topologyReadWhereItLiesInAGossipFrameReadsAsACopyOfIt(
            @ForAll("topologies") List<PeerUpdate> updates,
            @ForAll("mutations") WireCodecProperties.Mutation mutation,
            @ForAll @IntRange(min = 0, max = 1 << 20) int where,
            @ForAll byte value,
            @ForAll boolean corrupt) {
        byte[] data = WireCodec.encodeTopologyGeneric(updates);
        byte[] topology = corrupt ? mutation.apply(data, where, value) : data;
        byte[] payload = WireCodec.encodeGossip(new GossipFrame("topology", PeerName.of(7), topology));

        WireCodec.GossipHead head = WireCodec.decodeGossipHead(payload);
        assertEquals("topology", head.channel());
        assertArrayEquals(topology, head.data(payload));
        byte[] padded = java.util.Arrays.copyOf(payload, payload.length + 64);
        java.util.Arrays.fill(padded, payload.length, padded.length, (byte) 0x7f);

        Outcome copied = Outcome.of(() -> WireCodec.decodeTopology(topology));
        assertEquals(copied, Outcome.of(() -> WireCodec.decodeTopology(payload, head.dataOffset(), head.dataLength())));
        assertEquals(copied, Outcome.of(() -> WireCodec.decodeTopology(padded, head.dataOffset(), head.dataLength())));
    }

    @Property(tries = 1000)
    void onCorruptedValuesTheFastDecoderAnswersExactlyAsTheGenericDecoder(
            @ForAll("topologies") List<PeerUpdate> updates,
            @ForAll @IntRange(min = 0, max = 1 << 20) int message,
            @ForAll @IntRange(min = 0, max = 1 << 20) int where,
            @ForAll("smallBytesOften") byte value,
            @ForAll boolean flip) {
        // Given a corruption inside one value message, after its type id: definitions and framing stay intact
        byte[] corrupted = WireCodec.encodeTopologyGeneric(updates);
        List<int[]> values = valueBodies(corrupted);
        int[] body = values.get(message % values.size());
        int at = body[0] + where % (body[1] - body[0]);
        corrupted[at] = flip ? (byte) (corrupted[at] ^ (value == 0 ? 1 : value)) : value;

        // When
        Outcome fast = Outcome.of(() -> TopologyGobReader.decode(corrupted));

        // Then
        assertEquals(Outcome.of(() -> WireCodec.decodeTopologyGeneric(corrupted)), fast);
    }

    /** @return {from, to} of each value message's bytes after its type id, in stream order */
    private static List<int[]> valueBodies(byte[] stream) {
        List<int[]> bodies = new java.util.ArrayList<>();
        int pos = 0;
        while (pos < stream.length) {
            int[] length = readUint(stream, pos);
            int end = length[1] + length[0];
            int[] id = readUint(stream, length[1]);
            if ((id[0] & 1) == 0 && id[1] < end) {
                bodies.add(new int[] {id[1], end});
            }
            pos = end;
        }
        return bodies;
    }

    /** @return {value, position after it} of the gob uint at {@code pos} (small values only) */
    private static int[] readUint(byte[] in, int pos) {
        int first = in[pos] & 0xFF;
        if (first < 0x80) {
            return new int[] {first, pos + 1};
        }
        int value = 0;
        for (int i = 1; i <= 256 - first; i++) {
            value = (value << 8) | (in[pos + i] & 0xFF);
        }
        return new int[] {value, pos + 1 + 256 - first};
    }

    @Property(tries = 1000)
    void decodingCorruptedEncodingsAllocatesInProportionToTheInput(
            @ForAll("topologies") List<PeerUpdate> updates,
            @ForAll("mutations") WireCodecProperties.Mutation mutation,
            @ForAll @IntRange(min = 0, max = 1 << 20) int where,
            @ForAll byte value) {
        byte[] mutated = mutation.apply(WireCodec.encodeTopologyGeneric(updates), where, value);
        long thread = Thread.currentThread().getId();

        long before = THREADS.getThreadAllocatedBytes(thread);
        Outcome.of(() -> TopologyGobReader.decode(mutated));
        long allocated = THREADS.getThreadAllocatedBytes(thread) - before;

        assertTrue(allocated <= ALLOCATION_PER_INPUT_BYTE * mutated.length + ALLOCATION_SLACK,
                allocated + " bytes allocated to decode " + mutated.length);
    }

    /** What a decoder did with one input: its values, its deferral ({@code null}), or a refusal. */
    record Outcome(List<PeerUpdate> updates, boolean refused) {

        static Outcome of(java.util.function.Supplier<List<PeerUpdate>> decode) {
            try {
                return new Outcome(decode.get(), false);
            } catch (GobDecodingException refusal) {
                return new Outcome(null, true);
            } catch (RuntimeException other) {
                return fail("a decoder threw " + other + " instead of GobDecodingException", other);
            }
        }

        boolean deferred() {
            return updates == null && !refused;
        }
    }

    @Provide
    Arbitrary<List<PeerUpdate>> edgeCaseTopologies() {
        return WireArbitraries.edgeCaseTopologies();
    }

    /** Non-empty, mostly of several peers, so that most mutations land in values rather than definitions. */
    @Provide
    Arbitrary<List<PeerUpdate>> topologies() {
        return Arbitraries.oneOf(WireArbitraries.peerUpdates().list().ofMinSize(3).ofMaxSize(10),
                WireArbitraries.edgeCaseTopologies().filter(updates -> !updates.isEmpty()));
    }

    /** Bytes, often the small values that are still one-byte gob uints (field deltas, bools, lengths). */
    @Provide
    Arbitrary<String> channels() {
        return Arbitraries.oneOf(Arbitraries.of("topology", "", "nostrp2p"), Arbitraries.strings().ofMaxLength(300));
    }

    @Provide
    Arbitrary<Byte> smallBytesOften() {
        return Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.bytes().between((byte) 0, (byte) 9));
    }

    @Provide
    Arbitrary<WireCodecProperties.Mutation> mutations() {
        return Arbitraries.of(WireCodecProperties.Mutation.class);
    }
}
