package org.nostrp2p.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.ModelArbitraries;

/** Round trips for arbitrary values, and decoders that on any input throw only {@link CodecException}. */
class CodecProperties {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Provide
    Arbitrary<Event> events() {
        return ModelArbitraries.events();
    }

    @Provide
    Arbitrary<Np2pPacket> packets() {
        return ModelArbitraries.packets();
    }

    @Provide
    Arbitrary<List<Event>> eventLists() {
        return ModelArbitraries.events().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Event> smallEvents() {
        return ModelArbitraries.smallEvents();
    }

    @Provide
    Arbitrary<byte[]> validEncodings() {
        return Arbitraries.oneOf(
                ModelArbitraries.smallEvents().map(Np2pCodec::encodeEvent),
                ModelArbitraries.smallPackets().map(Np2pCodec::encodePacket),
                ModelArbitraries.smallEvents().list().ofMaxSize(3).map(Np2pCodec::encodeEventsResp));
    }

    @Property(tries = 200)
    void anEventSurvivesMessagePack(@ForAll("events") Event event) {
        assertEquals(event, Np2pCodec.decodeEvent(Np2pCodec.encodeEvent(event)));
    }

    @Property(tries = 100)
    void aPacketSurvivesMessagePack(@ForAll("packets") Np2pPacket packet) {
        Np2pPacket decoded = Np2pCodec.decodePacket(Np2pCodec.encodePacket(packet));
        assertEquals(packet.srvVer(), decoded.srvVer());
        assertEquals(packet.pktVer(), decoded.pktVer());
        assertEquals(packet.events(), decoded.events());
        if (packet.reqs() == null) {
            assertEquals(null, decoded.reqs());
        } else {
            assertEquals(packet.reqs().size(), decoded.reqs().size());
            for (int i = 0; i < packet.reqs().size(); i++) {
                assertTrue(ModelArbitraries.sameRequest(packet.reqs().get(i), decoded.reqs().get(i)),
                        packet.reqs().get(i) + " vs " + decoded.reqs().get(i));
            }
        }
    }

    @Property(tries = 100)
    void aPacketDecodedUnderLimitsKeepsExactlyTheEventsWithinThem(@ForAll("packets") Np2pPacket packet) {
        org.nostrp2p.model.EventLimits limits = new org.nostrp2p.model.EventLimits(1024, 3, 3, 64, 900);
        Np2pCodec.Screened screened = Np2pCodec.decodePacket(Np2pCodec.encodePacket(packet), limits);
        if (packet.events() == null) {
            assertEquals(null, screened.packet().events());
            return;
        }
        List<Event> within = packet.events().stream()
                .filter(e -> Np2pCodec.encodeEvent(e).length <= limits.maxEventBytes() && limits.sizeViolation(e).isEmpty()).toList();
        assertEquals(within, screened.packet().events());
        assertEquals(packet.events().size() - within.size(), screened.refusals().size());
    }

    @Property(tries = 50)
    void aListOfEventsSurvivesTheRestAnswer(@ForAll("eventLists") List<Event> events) {
        assertEquals(events, Np2pCodec.decodeEventsResp(Np2pCodec.encodeEventsResp(events)));
    }

    @Property(tries = 150)
    void anEventSurvivesJson(@ForAll("events") Event event) {
        assertEquals(event, EventJson.parse(EventJson.write(event)));
    }

    @Property(tries = 150)
    void theIdSerializationIsJsonThatReadsBackToTheSameValues(@ForAll("events") Event event) throws IOException {
        byte[] serialized = Events.serializeForId(event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content());
        JsonNode array = MAPPER.readTree(new String(serialized, StandardCharsets.UTF_8));
        assertEquals(0, array.get(0).asInt());
        assertEquals(event.pubkeyHex(), array.get(1).asText());
        assertEquals(event.createdAt(), array.get(2).asLong());
        assertEquals(event.kind(), array.get(3).asInt());
        assertEquals(event.tags(), MAPPER.convertValue(array.get(4), List.class));
        assertEquals(event.content(), array.get(5).asText());
        assertEquals(6, array.size());
    }

    @Property(tries = 1000)
    void randomBytesRaiseOnlyCodecException(@ForAll byte[] bytes) {
        decodeAll(bytes);
    }

    @Property(tries = 600)
    void mutatedEncodingsRaiseOnlyCodecException(@ForAll("validEncodings") byte[] valid,
                                                 @ForAll("mutations") Mutation mutation) {
        decodeAll(mutation.apply(valid));
    }

    @Property(tries = 500)
    void mutatedJsonRaisesOnlyCodecException(@ForAll("smallEvents") Event event, @ForAll("mutations") Mutation mutation) {
        byte[] json = EventJson.write(event).getBytes(StandardCharsets.UTF_8);
        String mutated = new String(mutation.apply(json), StandardCharsets.UTF_8);
        try {
            EventJson.parse(mutated);
        } catch (CodecException expected) {
            // the only failure allowed
        }
    }

    /** Flip, set, cut or insert bytes at a position chosen by the mutation. */
    record Mutation(int kind, int position, int value, int count) {
        byte[] apply(byte[] valid) {
            if (valid.length == 0) {
                return valid;
            }
            int at = Math.floorMod(position, valid.length);
            byte[] out = valid.clone();
            switch (kind) {
                case 0 -> out[at] ^= (byte) (1 << (value & 7));
                case 1 -> out[at] = (byte) value;
                case 2 -> out = Arrays.copyOf(valid, at);
                case 3 -> {
                    out = new byte[valid.length + count];
                    System.arraycopy(valid, 0, out, 0, at);
                    Arrays.fill(out, at, at + count, (byte) value);
                    System.arraycopy(valid, at, out, at + count, valid.length - at);
                }
                default -> {
                    for (int i = 0; i < count; i++) {
                        out[Math.floorMod(at + i * 7919, out.length)] = (byte) (value + i);
                    }
                }
            }
            return out;
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(1, 8)
        ).as(Mutation::new);
    }

    private static void decodeAll(byte[] bytes) {
        try {
            Np2pCodec.decodeEvent(bytes);
        } catch (CodecException expected) {
            // the only failure allowed
        }
        try {
            Np2pCodec.decodePacket(bytes);
        } catch (CodecException expected) {
            // the only failure allowed
        }
        try {
            Np2pCodec.decodeEventsResp(bytes);
        } catch (CodecException expected) {
            // the only failure allowed
        }
        try {
            Np2pCodec.decodePacket(bytes, org.nostrp2p.model.EventLimits.DEFAULT);
        } catch (CodecException expected) {
            // the only failure allowed
        }
    }
}
