package org.nostrp2p.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.nostrp2p.model.codec.Np2pPacket;
import org.nostrp2p.model.codec.Np2pReq;

/** The jqwik generators of nostr-model's properties, in one place. */
public final class ModelArbitraries {
    private ModelArbitraries() {
    }

    /** Text of any Unicode scalar values (no lone surrogates), biased to what needs escaping. */
    public static Arbitrary<String> text(int maxCodePoints) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0x20, 0x7e)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 0x1f)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of((int) '"', (int) '\\', 0x7f, 0x2028, 0x2029, 0xfeff)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoint.list().ofMaxSize(maxCodePoints)
                .map(points -> new String(points.stream().mapToInt(Integer::intValue).toArray(), 0, points.size()));
    }

    public static Arbitrary<byte[]> bytes(int length) {
        return Arbitraries.bytes().array(byte[].class).ofSize(length);
    }

    /** Tag lists: mostly short, sometimes empty, sometimes hundreds of tags (a follow list). */
    public static Arbitrary<List<List<String>>> tags() {
        Arbitrary<List<String>> tag = text(20).list().ofMinSize(0).ofMaxSize(5);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, tag.list().ofMaxSize(6)),
                net.jqwik.api.Tuple.of(1, text(3).list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(150).ofMaxSize(250)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(List.of())));
    }

    /** Events with arbitrary (not signed) ids and signatures, sometimes stripped. */
    public static Arbitrary<Event> events() {
        return events(tags(), Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, text(100)), net.jqwik.api.Tuple.of(1, text(3000))));
    }

    /** Small events, for properties that make many of them (fuzzing). */
    public static Arbitrary<Event> smallEvents() {
        return events(text(8).list().ofMaxSize(4).list().ofMaxSize(4), text(30));
    }

    private static Arbitrary<Event> events(Arbitrary<List<List<String>>> tags, Arbitrary<String> content) {
        return Combinators.combine(
                bytes(32),
                bytes(32),
                Arbitraries.longs().between(-(1L << 40), 1L << 40),
                Arbitraries.integers().between(0, 65535),
                tags,
                content,
                Arbitraries.oneOf(bytes(64), Arbitraries.just(null))
        ).as(Event::new);
    }

    /** Values an {@code Np2pReq.Args} list may hold. */
    public static Arbitrary<Object> argValues() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> (Object) b),
                text(10).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
    }

    public static Arbitrary<Np2pReq> requests() {
        Arbitrary<Map<String, List<Object>>> args = Arbitraries.maps(text(8), argValues().list().ofMaxSize(3))
                .ofMaxSize(3).map(LinkedHashMap::new);
        return Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.integers().between(0, 65535),
                Arbitraries.oneOf(args, Arbitraries.just(null))
        ).as(Np2pReq::new);
    }

    public static Arbitrary<Np2pPacket> packets() {
        return packets(events());
    }

    public static Arbitrary<Np2pPacket> smallPackets() {
        return packets(smallEvents());
    }

    private static Arbitrary<Np2pPacket> packets(Arbitrary<Event> events) {
        return Combinators.combine(
                Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 65535),
                Arbitraries.oneOf(events.list().ofMaxSize(3), Arbitraries.just(null)),
                Arbitraries.oneOf(requests().list().ofMaxSize(3), Arbitraries.just(null))
        ).as(Np2pPacket::new);
    }

    /** Whether two requests are equal, comparing {@code byte[]} arguments by content. */
    public static boolean sameRequest(Np2pReq a, Np2pReq b) {
        if (a.id() != b.id() || a.kind() != b.kind()) {
            return false;
        }
        if (a.args() == null || b.args() == null) {
            return a.args() == b.args();
        }
        if (!a.args().keySet().equals(b.args().keySet())) {
            return false;
        }
        for (var entry : a.args().entrySet()) {
            List<Object> x = entry.getValue();
            List<Object> y = b.args().get(entry.getKey());
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                Object u = x.get(i);
                Object v = y.get(i);
                boolean same = u instanceof byte[] ub && v instanceof byte[] vb ? Arrays.equals(ub, vb)
                        : u instanceof Double du && v instanceof Double dv ? Double.compare(du, dv) == 0
                        : java.util.Objects.equals(u, v);
                if (!same) {
                    return false;
                }
            }
        }
        return true;
    }
}
