package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Examples for the topology fast path ({@link TopologyGobCodec}): Go's own bytes take it,
 * streams another gob encoder might write are handed to the generic decoder, and the
 * boundaries (long messages, lying counts) behave as in the generic path.
 */
class TopologyGobCodecTest {

    private static final PeerName ALICE = PeerName.parse("02:00:00:00:00:01");
    private static final PeerName BOB = PeerName.parse("02:00:00:00:00:02");

    static Stream<GobVectors.Vector> goTopologyVectors() {
        return GobVectors.committed().stream().filter(v -> v.kind().equals("topology"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goTopologyVectors")
    void goTopologyBytesDecodeOnTheFastPathToWhatTheGenericDecoderReads(GobVectors.Vector vector) {
        List<PeerUpdate> fast = TopologyGobReader.decode(vector.bytes());

        if (vector.decodeOnly()) {
            assertNull(fast, "definitions with fields mesh does not know are left to the generic decoder");
        } else {
            assertNotNull(fast, "what Go mesh writes takes the fast path");
            assertEquals(WireCodec.decodeTopologyGeneric(vector.bytes()), fast);
        }
        assertEquals(vector.value(), WireCodec.decodeTopology(vector.bytes()));
    }

    @Test
    void definitionsWithFieldsInAnotherOrderAndAnExtraFieldDecodeThroughTheGenericDecoder() {
        // Given what another gob encoder could send: peerSummary's fields reordered, plus one mesh lacks
        GobType.Struct reordered = new GobType.Struct("peerSummary", List.of(
                new GobType.Field("HasShortID", GobType.Builtin.BOOL),
                new GobType.Field("Version", GobType.Builtin.UINT),
                new GobType.Field("Extra", GobType.Builtin.STRING),
                new GobType.Field("NickName", GobType.Builtin.STRING),
                new GobType.Field("ShortID", GobType.Builtin.UINT),
                new GobType.Field("UID", GobType.Builtin.UINT),
                new GobType.Field("NameByte", GobType.Builtin.BYTES)));
        GobType.Slice connections = new GobType.Slice(new GobType.Struct("connectionSummary", List.of(
                new GobType.Field("Established", GobType.Builtin.BOOL),
                new GobType.Field("NameByte", GobType.Builtin.BYTES),
                new GobType.Field("RemoteTCPAddr", GobType.Builtin.STRING))));
        GobEncoder encoder = new GobEncoder();
        encoder.write(reordered, java.util.Arrays.asList(true, 7L, "ignored", "alice", 12L, 99L, ALICE.toBytes()));
        encoder.write(connections, List.of(java.util.Arrays.asList(true, BOB.toBytes(), "10.0.0.2:6783")));
        byte[] stream = encoder.toByteArray();

        // When / Then
        assertNull(TopologyGobReader.decode(stream), "the fast path does not read these definitions");
        assertEquals(List.of(new PeerUpdate(new PeerSummary(ALICE, "alice", 99, 7, 12, true),
                        List.of(new ConnectionSummary(BOB, "10.0.0.2:6783", false, true)))),
                WireCodec.decodeTopology(stream));
    }

    @Test
    void aConnectionSummaryValueWhereAPeerSummaryBelongsIsLeftToTheGenericDecoder() {
        // Given a canonical stream whose second peer message carries the connectionSummary type id (66)
        byte[] connectionValue = new GobBytes().message(new GobBytes().sint(66).uint(1).uint(6)
                .raw(2, 0, 0, 0, 0, 2).uint(0)).bytes();
        byte[] firstPeer = WireCodec.encodeTopology(List.of(update(ALICE, 0)));
        byte[] stream = concat(firstPeer, connectionValue, new GobBytes().message(
                new GobBytes().sint(67).uint(0).uint(0)).bytes());

        // When / Then: only the generic decoder knows what it makes of it
        assertNull(TopologyGobReader.decode(stream));
        assertEquals(WireCodec.decodeTopologyGeneric(stream), WireCodec.decodeTopology(stream));
    }

    @Test
    void aMessageLongerThan65535BytesHasTheGenericEncodersThreeByteLength() {
        List<PeerUpdate> updates = List.of(new PeerUpdate(
                new PeerSummary(ALICE, "n".repeat(70_000), 1, 2, 3, true), List.of()));

        byte[] fast = TopologyGobCodec.encode(updates);

        assertArrayEquals(WireCodec.encodeTopologyGeneric(updates), fast);
        assertEquals(updates, TopologyGobReader.decode(fast));
    }

    @Test
    void aTopologyMessageOfHundredsOfEntriesLaidOutFromThemIsTheGenericGossipFrame() {
        // Given 600 peers of 8 links each: a frame whose data and messages need multi-byte lengths
        List<PeerUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            List<ConnectionSummary> links = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                links.add(new ConnectionSummary(new PeerName(0x0e0000000000L + (i + k + 1) % 600), "127.0.0.1:" + (40000 + k),
                        k % 2 == 0, k % 3 != 0));
            }
            updates.add(new PeerUpdate(new PeerSummary(new PeerName(0x0e0000000000L + i), "b" + i, 1000L + i, i, i % 4096,
                    true), links));
        }
        List<TopologyEntry> entries = updates.stream().map(u -> TopologyEntry.of(u.peer(), u.connections())).toList();

        byte[] laidOut = WireCodec.encodeTopologyGossip(WireCodec.gossipHead(WireCodec.TOPOLOGY_CHANNEL, ALICE), entries);

        byte[] topology = WireCodec.encodeTopologyGeneric(updates);
        assertTrue(topology.length > 65_536, "the data needs a three-byte length");
        assertArrayEquals(WireCodec.encodeGossip(new GossipFrame(WireCodec.TOPOLOGY_CHANNEL, ALICE, topology)), laidOut);
        assertEquals(updates, WireCodec.decodeTopology(WireCodec.decodeGossip(laidOut).data()));
    }

    @Test
    void aConnectionCountBeyondTheMessagesBytesIsRefusedBeforeAnythingIsAllocated() {
        // Given a canonical first peer whose connection list claims a billion entries in three bytes
        byte[] firstPeer = WireCodec.encodeTopology(List.of(update(ALICE, 0)));
        byte[] withoutItsList = java.util.Arrays.copyOf(firstPeer, firstPeer.length - 5); // its empty list: 04 ff86 00 00
        byte[] lying = concat(withoutItsList, new GobBytes().message(
                new GobBytes().sint(67).uint(0).uint(1_000_000_000L)).bytes());

        // When / Then
        assertThrows(GobDecodingException.class, () -> TopologyGobReader.decode(lying));
        GobDecodingException refused = assertThrows(GobDecodingException.class, () -> WireCodec.decodeTopology(lying));
        assertTrue(refused.getMessage().contains("claims a length of 1000000000"), refused.getMessage());
    }

    @Test
    void aBoolSentAsAnyNonZeroUintReadsAsTrueAsInTheGenericDecoder() {
        // Given a canonical stream whose HasShortID is sent as 2 (the last byte of its peer message, before the 0 end)
        byte[] stream = WireCodec.encodeTopology(List.of(update(ALICE, 0)));
        int endOfPeer = indexAfterFirstPeer(stream);
        assertEquals(1, stream[endOfPeer - 2]);
        stream[endOfPeer - 2] = 2;

        // When
        List<PeerUpdate> fast = TopologyGobReader.decode(stream);

        // Then
        assertNotNull(fast);
        assertTrue(fast.get(0).peer().hasShortId());
        assertEquals(WireCodec.decodeTopologyGeneric(stream), fast);
    }

    @Test
    void aRefusedStreamGetsTheGenericDecodersMessage() {
        byte[] truncated = WireCodec.encodeTopology(List.of(update(ALICE, 3)));
        byte[] peerOnly = java.util.Arrays.copyOf(truncated, indexAfterFirstPeer(truncated));

        GobDecodingException refused = assertThrows(GobDecodingException.class, () -> WireCodec.decodeTopology(peerOnly));
        GobDecodingException generic = assertThrows(GobDecodingException.class,
                () -> WireCodec.decodeTopologyGeneric(peerOnly));

        assertEquals(generic.getMessage(), refused.getMessage());
    }

    @Test
    void theLinksOfEntriesTheReaderHasAreSkippedUnreadAndTheOthersReadWhole() {
        // Given three entries, of which the reader has Bob's
        PeerName carol = PeerName.parse("02:00:00:00:00:03");
        List<PeerUpdate> updates = List.of(update(ALICE, 3), update(BOB, 4), update(carol, 2));
        byte[] stream = WireCodec.encodeTopology(updates);
        List<PeerSummary> asked = new ArrayList<>();

        // When
        List<PeerUpdate> read = WireCodec.decodeTopology(stream, 0, stream.length, peer -> {
            asked.add(peer);
            return peer.name().equals(BOB);
        });

        // Then: every summary is read and asked about once, in order; only Bob's links are not read
        assertEquals(updates.stream().map(PeerUpdate::peer).toList(), asked);
        assertEquals(updates.get(0), read.get(0));
        assertEquals(new PeerUpdate(updates.get(1).peer(), List.of(), false), read.get(1));
        assertEquals(updates.get(2), read.get(2));
        assertTrue(read.get(0).connectionsRead() && read.get(2).connectionsRead());
    }

    @Test
    void aSkippedLinkListIsSteppedOverByItsLengthWhichMustStillFitTheStream() {
        // Given Alice's entry with a link list of garbage that says its length truly, then Bob's
        byte[] alice = WireCodec.encodeTopology(List.of(update(ALICE, 0)));
        byte[] withoutItsList = java.util.Arrays.copyOf(alice, alice.length - 5); // its empty list: 04 ff86 00 00
        byte[] garbageList = new GobBytes().message(new GobBytes().sint(67).uint(0).uint(9).uint(200).uint(3)).bytes();
        byte[] bob = tail(WireCodec.encodeTopology(List.of(update(ALICE, 0), update(BOB, 1))), alice.length);
        byte[] stream = concat(withoutItsList, garbageList, bob);

        // When the reader has Alice, her list is not read: the stream decodes
        List<PeerUpdate> read = WireCodec.decodeTopology(stream, 0, stream.length, peer -> peer.name().equals(ALICE));
        assertEquals(List.of(new PeerUpdate(update(ALICE, 0).peer(), List.of(), false), update(BOB, 1)), read);
        // and read whole it is refused
        assertThrows(GobDecodingException.class, () -> WireCodec.decodeTopology(stream));

        // Given a list whose length claims more than the stream holds
        byte[] lying = concat(withoutItsList, new byte[] {(byte) 0xfe, 0x7f, (byte) 0xff, 0x04});
        GobDecodingException refused = assertThrows(GobDecodingException.class,
                () -> WireCodec.decodeTopology(lying, 0, lying.length, peer -> true));
        assertTrue(refused.getMessage().contains("bytes"), refused.getMessage());
    }

    private static byte[] tail(byte[] stream, int from) {
        return java.util.Arrays.copyOfRange(stream, from, stream.length);
    }

    private static int indexAfterFirstPeer(byte[] stream) {
        int pos = 0;
        for (int message = 0; message < 2; message++) {
            pos += 1 + (stream[pos] & 0xFF); // both messages are under 128 bytes
        }
        return pos;
    }

    private static PeerUpdate update(PeerName name, int connectionCount) {
        List<ConnectionSummary> connections = new ArrayList<>();
        for (int i = 0; i < connectionCount; i++) {
            connections.add(new ConnectionSummary(new PeerName(name.value() + i + 1), "127.0.0.1:" + (6783 + i),
                    i % 2 == 0, true));
        }
        return new PeerUpdate(new PeerSummary(name, "peer", 42, 1, 5, true), connections);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
