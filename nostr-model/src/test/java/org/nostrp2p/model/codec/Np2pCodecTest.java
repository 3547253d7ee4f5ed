package org.nostrp2p.model.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.SecretKey;

/** What other MessagePack writers produce is read too; what no writer produces is refused clearly. */
class Np2pCodecTest {
    private static final SecretKey KEY = SecretKey.parse(
            "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa");
    private static final Event EVENT = Events.sign(KEY, 1732492800L, 1,
            List.of(List.of("p", KEY.publicKey().toHex())), "こんにちは");

    /** A compact writer (as msgpack-core, JavaScript or Python libraries write by default). */
    private static byte[] compactEvent(Event event, boolean idAsStr, boolean createdAtAsFloat32) throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(7);
        p.packString("Id");
        if (idAsStr) {
            p.packRawStringHeader(32);
            p.writePayload(event.id());
        } else {
            p.packBinaryHeader(32).writePayload(event.id());
        }
        p.packString("Pubkey").packBinaryHeader(32).writePayload(event.pubkey());
        p.packString("Created_at");
        if (createdAtAsFloat32) {
            p.packFloat(event.createdAt());
        } else {
            p.packLong(event.createdAt());
        }
        p.packString("Kind").packInt(event.kind());
        p.packString("Tags").packArrayHeader(event.tags().size());
        for (List<String> tag : event.tags()) {
            p.packArrayHeader(tag.size());
            for (String element : tag) {
                p.packString(element);
            }
        }
        p.packString("Content").packString(event.content());
        p.packString("Sig").packBinaryHeader(64).writePayload(event.sig());
        return p.toByteArray();
    }

    private static String failure(byte[] bytes) {
        return assertThrows(CodecException.class, () -> Np2pCodec.decodeEvent(bytes)).getMessage();
    }

    @Test
    void compactIntegersAndStrTagsFromAnotherWriterDecodeToTheSameEvent() throws IOException {
        Event decoded = Np2pCodec.decodeEvent(compactEvent(EVENT, false, false));
        assertEquals(EVENT, decoded);
        assertTrue(decoded.verify());
    }

    @Test
    void strWhereBinIsExpectedIsRead() throws IOException {
        assertEquals(EVENT, Np2pCodec.decodeEvent(compactEvent(EVENT, true, false)));
    }

    @Test
    void aFloat32CreatedAtIsReadAsANumber() throws IOException {
        Event small = Events.sign(KEY, 1024, 1, List.of(), "x");
        assertEquals(1024, Np2pCodec.decodeEvent(compactEvent(small, false, true)).createdAt());
    }

    @Test
    void fieldsInAnotherOrderAndUnknownFieldsAreAccepted() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(4);
        p.packString("Extra").packArrayHeader(2).packInt(1).packMapHeader(0);
        p.packString("Pubkey").packBinaryHeader(32).writePayload(EVENT.pubkey());
        p.packString("Id").packBinaryHeader(32).writePayload(EVENT.id());
        p.packString("Content").packNil();
        Event event = Np2pCodec.decodeEvent(p.toByteArray());
        assertEquals("", event.content());
        assertEquals(List.of(), event.tags());
        assertNull(event.sig());
    }

    @Test
    void anEmptyReqsListDecodesAsEmptyAndNilAsNull() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(4).packString("SrvVer").packInt(1).packString("PktVer").packInt(3)
                .packString("Events").packArrayHeader(0).packString("Reqs").packArrayHeader(0);
        Np2pPacket packet = Np2pCodec.decodePacket(p.toByteArray());
        assertEquals(List.of(), packet.events());
        assertEquals(List.of(), packet.reqs());
        assertNull(Np2pCodec.decodePacket(Np2pCodec.encodePacket(new Np2pPacket(1, 3, null, null))).events());
    }

    @Test
    void aCompactRequestIdAndAnyUint64AreRead() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(2).packString("SrvVer").packInt(1).packString("Reqs").packArrayHeader(1)
                .packMapHeader(2).packString("Id").packInt(5).packString("Kind").packInt(3);
        assertEquals(new Np2pReq(5, 3, null), Np2pCodec.decodePacket(p.toByteArray()).reqs().get(0));
        Np2pReq big = new Np2pReq(-2L, Np2pReq.KIND_RECENT_EVENTS, null);
        byte[] bytes = Np2pCodec.encodePacket(Np2pPacket.ofRequest(big));
        assertTrue(HexFormat.of().formatHex(bytes).contains("cffffffffffffffffe"));
        assertEquals(big, Np2pCodec.decodePacket(bytes).reqs().get(0));
    }

    @Test
    void argsKeepEveryScalarType() {
        Map<String, List<Object>> args = new java.util.LinkedHashMap<>();
        args.put("evtId", List.of(new byte[] {1, 2}));
        args.put("mixed", java.util.Arrays.asList("s", 7L, 1.5, true, null));
        args.put("empty", List.of());
        Np2pReq decoded = Np2pCodec.decodePacket(Np2pCodec.encodePacket(Np2pPacket.ofRequest(
                new Np2pReq(1, 1, args)))).reqs().get(0);
        assertArrayEquals(new byte[] {1, 2}, (byte[]) decoded.args().get("evtId").get(0));
        assertEquals(java.util.Arrays.asList("s", 7L, 1.5, true, null), decoded.args().get("mixed"));
        assertEquals(List.of(), decoded.args().get("empty"));
    }

    @Test
    void aNestedArgsValueIsRefused() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(1).packString("Reqs").packArrayHeader(1).packMapHeader(1).packString("Args")
                .packMapHeader(1).packString("k").packArrayHeader(1).packArrayHeader(0);
        var e = assertThrows(CodecException.class, () -> Np2pCodec.decodePacket(p.toByteArray()));
        assertTrue(e.getMessage().contains("unsupported value type, a list"), e.getMessage());
    }

    @Test
    void wrongSizesAreNamed() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(1).packString("Id").packBinaryHeader(31).writePayload(new byte[31]);
        assertEquals("Np2pEvent.Id: expected 32 bytes, got 31", failure(p.toByteArray()));
    }

    @Test
    void aKindBeyondUint16IsRefused() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(1).packString("Kind").packInt(70000);
        assertEquals("Np2pEvent.Kind: expected an integer in 0..65535, got 70000", failure(p.toByteArray()));
    }

    @Test
    void aNonFiniteCreatedAtIsRefused() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(1).packString("Created_at").packDouble(Double.NaN);
        assertTrue(failure(p.toByteArray()).startsWith("Np2pEvent.Created_at: expected seconds"));
    }

    @Test
    void missingIdIsNamed() throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(1).packString("Pubkey").packBinaryHeader(32).writePayload(new byte[32]);
        assertEquals("Np2pEvent: missing Id", failure(p.toByteArray()));
    }

    @Test
    void invalidUtf8ContentIsRefused() throws IOException {
        byte[] bytes = Np2pCodec.encodeEvent(Events.sign(KEY, 1, 1, List.of(), "ab"));
        String hex = HexFormat.of().formatHex(bytes).replace("a26162", "a2ff62");
        assertEquals("Np2pEvent.Content: not valid UTF-8", failure(HexFormat.of().parseHex(hex)));
    }

    @Test
    void aClaimedLengthBeyondTheInputIsRefusedWithoutAllocating() {
        // A map entry "Content" claiming a 2 GiB str32, then nothing; then one claiming 4 GiB.
        byte[] bytes = HexFormat.of().parseHex("81a7436f6e74656e74db7ffffff0");
        assertEquals("Np2pEvent.Content: claims 2147483632 bytes, only 0 remain", failure(bytes));
        byte[] beyondInt = HexFormat.of().parseHex("81a7436f6e74656e74dbfffffff0");
        assertEquals("Np2pEvent.Content: claims 4294967280 bytes, only 0 remain", failure(beyondInt));
        byte[] hugeList = HexFormat.of().parseHex("84a6537276566572cd0001a6506b74566572cd0003a64576656e7473dd7fffffff");
        var e = assertThrows(CodecException.class, () -> Np2pCodec.decodePacket(hugeList));
        assertTrue(e.getMessage().contains("list claims 2147483647 elements, only 0 bytes remain"), e.getMessage());
        byte[] hugeMap = HexFormat.of().parseHex("dfffffffff");
        e = assertThrows(CodecException.class, () -> Np2pCodec.decodePacket(hugeMap));
        assertTrue(e.getMessage().contains("map claims 4294967295 entries"), e.getMessage());
    }

    @Test
    void moreTagsOrTagElementsThanTheLimitsAreRefused() throws IOException {
        MessageBufferPacker tooManyTags = MessagePack.newDefaultBufferPacker();
        tooManyTags.packMapHeader(1).packString("Tags").packArrayHeader(EventJson.MAX_TAGS + 1);
        for (int i = 0; i <= EventJson.MAX_TAGS; i++) {
            tooManyTags.packArrayHeader(0);
        }
        assertEquals("Np2pEvent.Tags: 100001 tags, more than the limit of 100000", failure(tooManyTags.toByteArray()));

        MessageBufferPacker longTag = MessagePack.newDefaultBufferPacker();
        longTag.packMapHeader(1).packString("Tags").packArrayHeader(1).packArrayHeader(EventJson.MAX_TAG_ELEMENTS + 1);
        for (int i = 0; i <= EventJson.MAX_TAG_ELEMENTS; i++) {
            longTag.packNil();
        }
        assertEquals("Np2pEvent.Tags: tag 0 has 1001 elements, more than the limit of 1000",
                failure(longTag.toByteArray()));
    }

    @Test
    void trailingBytesTruncationAndWrongTopLevelTypesAreRefused() {
        byte[] bytes = Np2pCodec.encodeEvent(EVENT);
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals("Np2pEvent: 1 unexpected bytes after the value", failure(longer));
        assertTrue(failure(java.util.Arrays.copyOf(bytes, bytes.length - 1)).startsWith("Np2pEvent"));
        assertTrue(failure(new byte[0]).contains("end of the input"));
        assertTrue(failure(new byte[] {(byte) 0xc1}).contains("0xc1"));
        assertTrue(failure(new byte[] {(byte) 0x90}).contains("expected a map, got a list"));
        assertThrows(CodecException.class, () -> Np2pCodec.decodeEvent(null));
    }

    @Test
    void theContentIsWrittenAsStrAndTagsAsBin() {
        byte[] bytes = Np2pCodec.encodeEvent(Events.sign(KEY, 1, 1, List.of(List.of("q")), "q"));
        String hex = HexFormat.of().formatHex(bytes);
        assertTrue(hex.contains("a4546167739191c40171"), hex);
        assertTrue(hex.contains("a7436f6e74656e74a171"), hex);
        assertEquals("q", new String(new byte[] {0x71}, StandardCharsets.UTF_8));
    }
}
