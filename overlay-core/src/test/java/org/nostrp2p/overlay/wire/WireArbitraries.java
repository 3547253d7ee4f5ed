package org.nostrp2p.overlay.wire;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.nostrp2p.overlay.name.PeerName;

/** jqwik generators for the wire package's values (one place, shared by its properties and tests). */
final class WireArbitraries {

    private WireArbitraries() {
    }

    /** Text as Go strings carry it: any Unicode scalar values (no lone surrogates), often empty. */
    static Arbitrary<String> texts(int maxLength) {
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.chars().range(' ', '~')),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u00a0', '\u07ff')),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u0800', '\ud7ff')),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\ue000', '\ufffc')),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u0000', '\u001f')));
        return chars.list().ofMaxSize(maxLength).map(cs -> {
            StringBuilder b = new StringBuilder(cs.size());
            cs.forEach(b::append);
            return b.toString();
        });
    }

    static Arbitrary<PeerName> peerNames() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL),
                Arbitraries.of(0L, 1L, 0x7FL, 0x80L, 0xFFL, 0x100L, 0xFFFF_FFFF_FFFFL))
                .map(PeerName::new);
    }

    static Arbitrary<byte[]> data(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
    }

    /** Unsigned 64-bit values as Java longs, edge values often. */
    static Arbitrary<Long> uint64s() {
        return Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, 1L, 0x7FL, 0x80L, 0xFFL, 0x100L, Long.MAX_VALUE, Long.MIN_VALUE, -1L));
    }

    static Arbitrary<Map<String, String>> features() {
        return Arbitraries.maps(texts(20), texts(40)).ofMaxSize(12);
    }

    static Arbitrary<GossipFrame> gossipFrames() {
        return Combinators.combine(texts(30), peerNames(), data(3000)).as(GossipFrame::new);
    }

    static Arbitrary<UnicastFrame> unicastFrames() {
        return Combinators.combine(texts(30), peerNames(), peerNames(), data(3000)).as(UnicastFrame::new);
    }

    static Arbitrary<ConnectionSummary> connectionSummaries() {
        return Combinators.combine(peerNames(), texts(30), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(ConnectionSummary::new);
    }

    static Arbitrary<PeerSummary> peerSummaries() {
        return Combinators.combine(peerNames(), texts(20), uint64s(), uint64s(),
                        Arbitraries.oneOf(Arbitraries.integers().between(0, 4095), Arbitraries.of(0, 4095, 65535)),
                        Arbitraries.of(true, false))
                .as(PeerSummary::new);
    }

    static Arbitrary<PeerUpdate> peerUpdates() {
        return Combinators.combine(peerSummaries(), connectionSummaries().list().ofMaxSize(8)).as(PeerUpdate::new);
    }

    static Arbitrary<List<PeerUpdate>> topologies() {
        return peerUpdates().list().ofMaxSize(10);
    }

    /**
     * Topologies weighted towards the encoder's edge cases: zero and omitted fields (empty
     * strings, zero UIDs, versions and short ids, false bools, empty connection lists), long
     * nick names and addresses (lengths of two bytes and past the ASCII shortcut), and
     * connection lists long enough for a message length of two bytes.
     */
    static Arbitrary<List<PeerUpdate>> edgeCaseTopologies() {
        Arbitrary<String> strings = Arbitraries.oneOf(Arbitraries.just(""), texts(20), texts(400),
                Arbitraries.strings().ascii().ofMinLength(120).ofMaxLength(300));
        Arbitrary<Long> numbers = Arbitraries.oneOf(Arbitraries.just(0L), uint64s());
        Arbitrary<Boolean> bools = Arbitraries.of(true, false);
        Arbitrary<ConnectionSummary> connections = Combinators.combine(peerNames(), strings, bools, bools)
                .as(ConnectionSummary::new);
        Arbitrary<PeerSummary> peers = Combinators.combine(peerNames(), strings, numbers, numbers,
                        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 65535)), bools)
                .as(PeerSummary::new);
        Arbitrary<List<ConnectionSummary>> lists = Arbitraries.oneOf(Arbitraries.just(List.of()),
                connections.list().ofMaxSize(6), connections.list().ofMinSize(20).ofMaxSize(40));
        return Combinators.combine(peers, lists).as(PeerUpdate::new).list().ofMaxSize(8);
    }

    /**
     * First frames after the intro: a well-formed feature map, the same with one byte
     * changed, or arbitrary bytes.
     */
    static Arbitrary<byte[]> firstFrames() {
        Arbitrary<byte[]> valid = features().map(WireCodec::encodeFeatures);
        Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.bytes()).as((bytes, where, value) -> {
                    if (bytes.length > 0) {
                        bytes[where % bytes.length] = value;
                    }
                    return bytes;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, valid), net.jqwik.api.Tuple.of(3, mutated),
                net.jqwik.api.Tuple.of(3, data(200)));
    }

    /** Later frames: often a tag mesh defines (0–7) and a body, sometimes any tag, sometimes blank. */
    static Arbitrary<byte[]> laterFrames() {
        Arbitrary<Integer> tags = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 7)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 255)));
        Arbitrary<byte[]> tagged = Combinators.combine(tags, data(100)).as((tag, body) -> {
            byte[] frame = new byte[body.length + 1];
            frame[0] = (byte) (int) tag;
            System.arraycopy(body, 0, frame, 1, body.length);
            return frame;
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, tagged), net.jqwik.api.Tuple.of(1, Arbitraries.just(new byte[0])));
    }
}
