package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The {@code /req} body parser: total on any input, and it reads back what the client writes. */
class ReqFilterProperties {

    @Property(tries = 500)
    void anyTextEitherParsesOrIsRefusedWithAReason(@ForAll("bodies") String body) {
        try {
            ReqFilter.parse(body);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a reason for " + body);
            }
        }
    }

    @Property(tries = 300)
    void aFilterReadsBackAsWritten(@ForAll("filters") ReqFilter filter) {
        assertEquals(filter, ReqFilter.parse(filter.toJson()));
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> json = Arbitraries.of("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":300}",
                "{\"kinds\":[0],\"authors\":[\"" + "ab".repeat(32) + "\"]}", "{\"ids\":[\"x\"]}", "{\"#p\":[1]}", "[]", "null",
                "{\"limit\":1e400}", "{\"since\":18446744073709551616}", "{\"kinds\":[-1]}", "{\"kinds\":[1.5]}");
        Arbitrary<String> mutated = json.flatMap(s -> Arbitraries.integers().between(0, s.length()).flatMap(cut ->
                Arbitraries.strings().ofMaxLength(5).map(insert -> s.substring(0, cut) + insert + s.substring(cut))));
        return Arbitraries.oneOf(json, mutated, Arbitraries.strings().ofMaxLength(200));
    }

    @Provide
    Arbitrary<ReqFilter> filters() {
        Arbitrary<String> hex = Arbitraries.bytes().array(byte[].class).ofSize(32).map(b -> HexFormat.of().formatHex(b));
        Arbitrary<List<String>> hexes = hex.list().ofMaxSize(3).injectNull(0.3);
        Arbitrary<List<Integer>> kinds = Arbitraries.of(0, 1, 3, 6, 7, 40000).list().ofMaxSize(3).injectNull(0.2);
        Arbitrary<Map<Character, List<String>>> tags = Arbitraries.maps(Arbitraries.of('e', 'p', 't'),
                Arbitraries.strings().ofMaxLength(10).list().ofMinSize(1).ofMaxSize(2)).ofMaxSize(2);
        Arbitrary<Long> number = Arbitraries.longs().between(-1, 2_000_000_000L).injectNull(0.3);
        return Combinators.combine(hexes, hexes, kinds, tags, number, number, number)
                .as(ReqFilter::new);
    }
}
