package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * WireCodec's laws: decoding an encoding gives back the value; any other bytes either
 * decode or raise GobDecodingException, never another exception.
 */
class WireCodecProperties {

    private static final List<Function<byte[], Object>> DECODERS = List.of(
            WireCodec::decodeFeatures, WireCodec::decodeGossip, WireCodec::decodeUnicast, WireCodec::decodeTopology);

    @Property(tries = 300)
    void featuresRoundTrip(@ForAll("features") Map<String, String> features) {
        assertEquals(features, WireCodec.decodeFeatures(WireCodec.encodeFeatures(features)));
    }

    @Property(tries = 300)
    void gossipFramesRoundTrip(@ForAll("gossipFrames") GossipFrame frame) {
        assertEquals(frame, WireCodec.decodeGossip(WireCodec.encodeGossip(frame)));
    }

    @Property(tries = 300)
    void unicastFramesRoundTrip(@ForAll("unicastFrames") UnicastFrame frame) {
        assertEquals(frame, WireCodec.decodeUnicast(WireCodec.encodeUnicast(frame)));
    }

    @Property(tries = 300)
    void topologyUpdatesRoundTrip(@ForAll("topologies") List<PeerUpdate> updates) {
        assertEquals(updates, WireCodec.decodeTopology(WireCodec.encodeTopology(updates)));
    }

    @Property(tries = 1000)
    void randomBytesOnlyEverRaiseGobDecodingException(@ForAll @Size(max = 200) byte[] bytes) {
        DECODERS.forEach(decoder -> decodeOrRefuse(decoder, bytes));
    }

    @Property(tries = 1000)
    void mutatedEncodingsOnlyEverRaiseGobDecodingException(@ForAll("encodings") byte[] valid,
                                                           @ForAll("mutations") Mutation mutation,
                                                           @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                                                           @ForAll byte value) {
        byte[] mutated = mutation.apply(valid, where, value);
        DECODERS.forEach(decoder -> decodeOrRefuse(decoder, mutated));
    }

    private static void decodeOrRefuse(Function<byte[], Object> decoder, byte[] bytes) {
        try {
            decoder.apply(bytes);
        } catch (GobDecodingException refused) {
            // the only allowed failure
        }
    }

    /** A small corruption of valid bytes: what a broken or hostile peer sends. */
    enum Mutation {
        FLIP_BITS, SET_BYTE, INSERT_BYTE, DELETE_BYTE, TRUNCATE, DUPLICATE_TAIL;

        byte[] apply(byte[] in, int where, byte value) {
            if (in.length == 0) {
                return new byte[] {value};
            }
            int at = where % in.length;
            byte[] out;
            switch (this) {
                case FLIP_BITS -> {
                    out = in.clone();
                    out[at] ^= value == 0 ? 1 : value;
                }
                case SET_BYTE -> {
                    out = in.clone();
                    out[at] = value;
                }
                case INSERT_BYTE -> {
                    out = new byte[in.length + 1];
                    System.arraycopy(in, 0, out, 0, at);
                    out[at] = value;
                    System.arraycopy(in, at, out, at + 1, in.length - at);
                }
                case DELETE_BYTE -> {
                    out = new byte[in.length - 1];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                }
                case TRUNCATE -> out = Arrays.copyOf(in, at);
                default -> {
                    out = Arrays.copyOf(in, in.length + in.length - at);
                    System.arraycopy(in, at, out, in.length, in.length - at);
                }
            }
            return out;
        }
    }

    @Provide
    Arbitrary<Map<String, String>> features() {
        return WireArbitraries.features();
    }

    @Provide
    Arbitrary<GossipFrame> gossipFrames() {
        return WireArbitraries.gossipFrames();
    }

    @Provide
    Arbitrary<UnicastFrame> unicastFrames() {
        return WireArbitraries.unicastFrames();
    }

    @Provide
    Arbitrary<List<PeerUpdate>> topologies() {
        return WireArbitraries.topologies();
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Arbitraries.of(Mutation.class);
    }

    @Provide
    Arbitrary<byte[]> encodings() {
        return Arbitraries.oneOf(
                WireArbitraries.features().map(WireCodec::encodeFeatures),
                WireArbitraries.gossipFrames().map(WireCodec::encodeGossip),
                WireArbitraries.unicastFrames().map(WireCodec::encodeUnicast),
                WireArbitraries.topologies().map(WireCodec::encodeTopology),
                Arbitraries.of(GobVectors.committed()).map(GobVectors.Vector::bytes));
    }
}
