package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/** WireCodec's behaviour at the edges: what it refuses, with which message, and its limits. */
class WireCodecTest {

    private static final byte[] NOTES_EXAMPLE = GobVectors.HEX.parseHex("0b0c0008746f706f6c6f677903060001050a0002aabb");
    private static final PeerName A = PeerName.parse("0a:00:00:00:00:01");
    private static final PeerName B = PeerName.parse("0a:00:00:00:00:02");

    private static String refusal(Runnable decode) {
        return assertThrows(GobDecodingException.class, decode::run).getMessage();
    }

    @Test
    void theMeshNotesExampleDecodes() {
        GossipFrame frame = WireCodec.decodeGossip(NOTES_EXAMPLE);
        assertEquals("topology", frame.channel());
        assertEquals(PeerName.parse("00:00:00:00:00:01"), frame.source());
        assertArrayEquals(new byte[] {(byte) 0xaa, (byte) 0xbb}, frame.data());
        // read in place: the data is the payload's last two bytes
        WireCodec.GossipHead head = WireCodec.decodeGossipHead(NOTES_EXAMPLE);
        assertEquals(new WireCodec.GossipHead("topology", frame.source(), NOTES_EXAMPLE.length - 2, 2), head);
    }

    @Test
    void aMessageClaimingMoreBytesThanTheInputIsRefused() {
        byte[] truncated = java.util.Arrays.copyOf(NOTES_EXAMPLE, NOTES_EXAMPLE.length - 1);
        assertTrue(refusal(() -> WireCodec.decodeGossip(truncated)).contains("claims 5 bytes, but 4 are left"));
    }

    @Test
    void aStringClaimingMoreBytesThanItsMessageIsRefused() {
        byte[] lying = new GobBytes().message(new GobBytes().sint(6).uint(0).uint(1_000_000).raw('x')).bytes();
        String message = refusal(() -> WireCodec.decodeGossip(lying));
        assertTrue(message.contains("the gossip channel name claims a length of 1000000"), message);
    }

    @Test
    void aHugeClaimedMapSizeIsRefusedBeforeAnythingIsAllocated() {
        byte[] map = new GobBytes()
                .message(new GobBytes().sint(-65).uint(4).uint(1).uint(2).sint(65).uint(0).uint(1).sint(6).uint(1).sint(6).uint(0).uint(0))
                .message(new GobBytes().sint(65).uint(0).uint(1L << 62))
                .bytes();
        assertTrue(refusal(() -> WireCodec.decodeFeatures(map)).contains("claims a length of 4611686018427387904"));
    }

    @Test
    void aValueOfAnotherTypeIsRefusedNamingBothTypes() {
        byte[] uintFirst = new GobBytes().message(new GobBytes().sint(3).uint(0).uint(5)).bytes();
        assertEquals("expected the gossip channel name as a gob string, got uint",
                refusal(() -> WireCodec.decodeGossip(uintFirst)));
    }

    @Test
    void aGossipPayloadWithAnExtraValueIsRefused() {
        byte[] extra = new GobBytes().raw(toInts(NOTES_EXAMPLE)).message(new GobBytes().sint(3).uint(0).uint(1)).bytes();
        assertEquals("unexpected gob values after the gossip data", refusal(() -> WireCodec.decodeGossip(extra)));
    }

    @Test
    void aSourceWiderThanAMacPeerNameIsRefused() {
        byte[] wide = new GobBytes().message(new GobBytes().sint(6).uint(0).string("c"))
                .message(new GobBytes().sint(3).uint(0).uint(1L << 48)).bytes();
        assertTrue(refusal(() -> WireCodec.decodeGossip(wide)).contains("not a 48-bit mac peer name"));
    }

    @Test
    void aFramePayloadOfExactlyTenMebibytesDecodesAndOneByteMoreIsRefusedUnread() {
        byte[] data = new byte[WireCodec.MAX_FRAME_BYTES - 25]; // channel 5 bytes, source 10, data's header 10
        byte[] payload = WireCodec.encodeGossip(new GossipFrame("c", A, data));
        assertEquals(WireCodec.MAX_FRAME_BYTES, payload.length);
        assertEquals(data.length, WireCodec.decodeGossip(payload).data().length);

        byte[] over = new byte[WireCodec.MAX_FRAME_BYTES + 1];
        assertEquals("a gossip payload of 10485761 bytes exceeds the 10485760-byte frame limit",
                refusal(() -> WireCodec.decodeGossip(over)));
    }

    @Test
    void featuresKeepTheOrderTheyAreGivenAndLaterDuplicatesWin() {
        Map<String, String> features = new LinkedHashMap<>();
        features.put("PeerNameFlavour", "mac");
        features.put("Name", "0a:00:00:00:00:01");
        features.put("UID", "18446744073709551615");
        assertEquals(List.copyOf(features.keySet()),
                List.copyOf(WireCodec.decodeFeatures(WireCodec.encodeFeatures(features)).keySet()));

        byte[] duplicate = new GobBytes()
                .message(new GobBytes().sint(-65).uint(4).uint(1).uint(2).sint(65).uint(0).uint(1).sint(6).uint(1).sint(6).uint(0).uint(0))
                .message(new GobBytes().sint(65).uint(0).uint(2).string("k").string("1").string("k").string("2"))
                .bytes();
        assertEquals(Map.of("k", "2"), WireCodec.decodeFeatures(duplicate));
    }

    @Test
    void emptyInputIsNoFeaturesMapAndNoGossip() {
        assertEquals("expected the features map, but the gob stream ended",
                refusal(() -> WireCodec.decodeFeatures(new byte[0])));
        assertEquals("expected the gossip channel name, but the gob stream ended",
                refusal(() -> WireCodec.decodeGossip(new byte[0])));
        assertEquals(List.of(), WireCodec.decodeTopology(new byte[0]));
    }

    @Test
    void topologyEndingAfterAPeerSummaryIsRefused() {
        GobEncoder encoder = new GobEncoder();
        encoder.write(WireCodec.PEER_SUMMARY, java.util.Arrays.asList(A.toBytes(), "", 1L, 1L, 0L, false));
        byte[] summaryOnly = encoder.toByteArray();
        assertEquals("the topology data ends after the peer summary of 0a:00:00:00:00:01, without its connection list",
                refusal(() -> WireCodec.decodeTopology(summaryOnly)));
    }

    @Test
    void aStreamEndingAfterTypeDefinitionsIsRefused() {
        byte[] full = WireCodec.encodeTopology(List.of(update(A, List.of())));
        byte[] definitionsOnly = java.util.Arrays.copyOf(full, full.length - 5); // drop the empty slice's message
        String message = refusal(() -> WireCodec.decodeTopology(definitionsOnly));
        assertTrue(message.endsWith("but the gob stream ended after type definitions without a value"), message);
    }

    @Test
    void aNameByteOfOtherThanSixBytesIsRefused() {
        byte[] shortName = new GobBytes()
                .message(GobBytes.structDefinition(65, "peerSummary", "NameByte", 5))
                .message(new GobBytes().sint(65).uint(1).uint(3).raw(1, 2, 3).uint(0))
                .bytes();
        assertEquals("NameByte of a topology peer summary: a mac peer name is 6 bytes, got 3",
                refusal(() -> WireCodec.decodeTopology(shortName)));
    }

    @Test
    void aKnownFieldOfTheWrongTypeIsRefused() {
        byte[] stringUid = new GobBytes()
                .message(GobBytes.structDefinition(65, "peerSummary", "NameByte", 5, "UID", 6))
                .message(new GobBytes().sint(65).uint(1).uint(6).raw(1, 2, 3, 4, 5, 6).uint(1).string("7").uint(0))
                .bytes();
        assertEquals("field UID of peerSummary: expected gob uint, got string",
                refusal(() -> WireCodec.decodeTopology(stringUid)));
    }

    @Test
    void aTypeDefinedTwiceOrNeverOrInTheReservedRangeIsRefused() {
        GobBytes def = GobBytes.structDefinition(65, "peerSummary", "NameByte", 5);
        byte[] twice = new GobBytes().message(def).message(def).bytes();
        assertEquals("gob type 65 is defined twice", refusal(() -> WireCodec.decodeTopology(twice)));

        byte[] undefined = new GobBytes().message(new GobBytes().sint(70).uint(0)).bytes();
        assertEquals("a topology peer summary uses gob type 70, which the stream has not defined",
                refusal(() -> WireCodec.decodeTopology(undefined)));

        byte[] reserved = new GobBytes().message(GobBytes.structDefinition(20, "wireType")).bytes();
        assertEquals("a gob type definition for reserved id 20", refusal(() -> WireCodec.decodeTopology(reserved)));

        byte[] elementNeverDefined = new GobBytes()
                .message(GobBytes.structDefinition(65, "peerSummary", "NameByte", 5))
                .message(new GobBytes().sint(65).uint(1).uint(6).raw(1, 2, 3, 4, 5, 6).uint(0))
                .message(GobBytes.sliceDefinition(66, 67))
                .message(new GobBytes().sint(66).uint(0).uint(0))
                .bytes();
        assertTrue(refusal(() -> WireCodec.decodeTopology(elementNeverDefined)).contains("gob type 67"));
    }

    @Test
    void recursiveTypesCannotNestBeyondTheDepthLimit() {
        GobBytes value = new GobBytes().sint(65).uint(1).uint(6).raw(1, 2, 3, 4, 5, 6).uint(1); // NameByte, Self
        for (int i = 0; i < GobDecoder.MAX_DEPTH + 2; i++) {
            value.uint(2); // the nested struct's field Self
        }
        for (int i = 0; i < GobDecoder.MAX_DEPTH + 3; i++) {
            value.uint(0);
        }
        byte[] deep = new GobBytes()
                .message(GobBytes.structDefinition(65, "peerSummary", "NameByte", 5, "Self", 65))
                .message(value)
                .bytes();
        String message = refusal(() -> WireCodec.decodeTopology(deep));
        assertTrue(message.contains("nests deeper than 16 levels"), message);
    }

    @Test
    void aSliceOfMoreElementsThanTheBudgetIsRefused() {
        GobBytes elements = new GobBytes().sint(67).uint(0).uint(GobDecoder.MAX_ELEMENTS + 1);
        for (int i = 0; i <= GobDecoder.MAX_ELEMENTS; i++) {
            elements.uint(0); // an empty connectionSummary
        }
        byte[] many = new GobBytes()
                .message(GobBytes.structDefinition(65, "peerSummary", "NameByte", 5))
                .message(new GobBytes().sint(65).uint(1).uint(6).raw(1, 2, 3, 4, 5, 6).uint(0))
                .message(GobBytes.sliceDefinition(67, 66))
                .message(GobBytes.structDefinition(66, "connectionSummary", "NameByte", 5))
                .message(elements)
                .bytes();
        assertTrue(refusal(() -> WireCodec.decodeTopology(many)).contains("more than 131072 elements"));
    }

    @Test
    void anInterfaceFieldIsRefusedAsUnsupported() {
        byte[] iface = new GobBytes()
                .message(GobBytes.structDefinition(65, "peerSummary", "NameByte", 5, "Any", 8))
                .message(new GobBytes().sint(65).uint(1).uint(6).raw(1, 2, 3, 4, 5, 6).uint(1).string("int").uint(0))
                .bytes();
        assertTrue(refusal(() -> WireCodec.decodeTopology(iface)).contains("interface value, which is not supported"));
    }

    @Test
    void aTopologyUpdateRoundTripsWithEveryFieldSet() {
        List<PeerUpdate> updates = List.of(
                new PeerUpdate(new PeerSummary(A, "nick", -1L, Long.MIN_VALUE, 4095, true),
                        List.of(new ConnectionSummary(B, "[::1]:6783", true, true),
                                new ConnectionSummary(A, "", false, false))),
                update(B, List.of()));
        assertEquals(updates, WireCodec.decodeTopology(WireCodec.encodeTopology(updates)));
    }

    @Test
    void aShortIdBeyondUint16CannotBeEncoded() {
        List<PeerUpdate> bad = List.of(new PeerUpdate(new PeerSummary(A, "", 1, 1, 65536, true), List.of()));
        assertThrows(IllegalArgumentException.class, () -> WireCodec.encodeTopology(bad));
    }

    @Test
    void typeDefinitionsAreSentOncePerStream() {
        List<PeerUpdate> many = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            many.add(update(new PeerName(i), List.of(new ConnectionSummary(A, "h:1", true, true))));
        }
        byte[] one = WireCodec.encodeTopology(many.subList(0, 1));
        byte[] fifty = WireCodec.encodeTopology(many);
        int definitions = one.length - 2 * 20; // well under the size of a pair without definitions
        assertTrue(fifty.length < one.length + 49 * (one.length - definitions / 2), "definitions repeated");
        assertEquals(many, WireCodec.decodeTopology(fifty));
    }

    private static PeerUpdate update(PeerName name, List<ConnectionSummary> connections) {
        return new PeerUpdate(new PeerSummary(name, "", 1, 1, 0, false), connections);
    }

    private static int[] toInts(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }
}
