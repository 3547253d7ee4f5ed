package org.nostrp2p.overlay.wire;

import static org.nostrp2p.overlay.wire.TopologyGobCodec.CONNECTIONS_DEFINITIONS;
import static org.nostrp2p.overlay.wire.TopologyGobCodec.CONNECTIONS_ID;
import static org.nostrp2p.overlay.wire.TopologyGobCodec.CONNECTION_SUMMARY_FIELDS;
import static org.nostrp2p.overlay.wire.TopologyGobCodec.MAX_SHORT_ID;
import static org.nostrp2p.overlay.wire.TopologyGobCodec.PEER_SUMMARY_DEFINITION;
import static org.nostrp2p.overlay.wire.TopologyGobCodec.PEER_SUMMARY_FIELDS;
import static org.nostrp2p.overlay.wire.TopologyGobCodec.PEER_SUMMARY_ID;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nostrp2p.overlay.name.PeerName;

/**
 * The reading half of the topology fast path ({@link TopologyGobCodec} writes): reads the gob
 * stream of mesh's {@code Peers.encodePeers} by hand when its type definitions are byte for byte
 * the canonical ones, and answers {@code null} otherwise, so that {@link WireCodec#decodeTopology}
 * hands the stream to the generic {@link GobDecoder}, which reads any gob a peer could send. On a
 * canonical stream it accepts and refuses exactly what the generic decoder does, with the same
 * bounds, except in connection lists it was told to skip (see {@link #decode(byte[], int, int,
 * PeerUpdate.KnownEntries)}). Stateless and thread-safe.
 */
final class TopologyGobReader {

    private TopologyGobReader() {
    }

    /**
     * Reads a topology stream whose type definitions are the canonical ones.
     *
     * @param data topology gossip data, at most {@link WireCodec#MAX_FRAME_BYTES}
     * @return its updates as {@link WireCodec#decodeTopologyGeneric} returns them, or
     *         {@code null} when the stream is laid out otherwise (other definitions, other
     *         type ids, definitions elsewhere): then only the generic decoder can tell
     * @throws GobDecodingException exactly when the generic decoder refuses the stream
     *                              (possibly with another message)
     */
    static List<PeerUpdate> decode(byte[] data) {
        return decode(data, 0, data.length, PeerUpdate.KnownEntries.NONE);
    }

    /**
     * Reads a topology stream laid in {@code data} from {@code from} to {@code to} (a gossip
     * frame's data, read where it lies), as {@link #decode(byte[])} reads a whole array, but
     * skips the connection list of each entry {@code known} has (its message is stepped over
     * by its length; the skipped lists count nothing towards the element bound).
     */
    static List<PeerUpdate> decode(byte[] data, int from, int to, PeerUpdate.KnownEntries known) {
        List<PeerUpdate> updates = new ArrayList<>();
        int length = to - from;
        if (length == 0) {
            return updates;
        }
        if (!Arrays.equals(data, from, from + Math.min(length, PEER_SUMMARY_DEFINITION.length),
                PEER_SUMMARY_DEFINITION, 0, PEER_SUMMARY_DEFINITION.length)) {
            return null;
        }
        if (length == PEER_SUMMARY_DEFINITION.length) {
            throw new GobDecodingException("expected a topology peer summary, but the gob stream ended after type"
                    + " definitions without a value");
        }
        Input in = new Input(data, from + PEER_SUMMARY_DEFINITION.length, to);
        boolean first = true;
        while (in.pos < to) {
            if (!in.beginMessage(PEER_SUMMARY_ID)) {
                return null;
            }
            PeerSummary peer = in.readPeerSummary();
            if (in.pos == to) {
                throw new GobDecodingException("the topology data ends after the peer summary of "
                        + peer.name() + ", without its connection list");
            }
            if (first) {
                if (!in.skipIfNext(CONNECTIONS_DEFINITIONS)) {
                    return null;
                }
                first = false;
            }
            if (!in.beginMessage(CONNECTIONS_ID)) {
                return null;
            }
            if (known.has(peer)) {
                in.skipMessage();
                updates.add(PeerUpdate.summaryOnly(peer));
            } else {
                updates.add(new PeerUpdate(peer, in.readConnections()));
            }
        }
        return updates;
    }

    /** A cursor over the stream; every read is bounded by the end of the current message. */
    static final class Input {

        private static final String PEER = "a topology peer summary";
        private static final String CONNECTIONS = "the connection list of a topology peer";

        private final byte[] in;
        // the stream ends here, before the end of in (a frame's data read where it lies)
        private final int limit;
        int pos;
        private int end;
        /** Connection structs read so far, bounded as the generic decoder bounds elements. */
        private int elements;

        Input(byte[] in, int pos, int limit) {
            this.in = in;
            this.limit = limit;
            this.pos = pos;
            this.end = limit;
        }

        boolean skipIfNext(byte[] expected) {
            int to = pos + expected.length;
            if (to > limit || !Arrays.equals(in, pos, to, expected, 0, expected.length)) {
                return false;
            }
            pos = to;
            return true;
        }

        /**
         * Reads a message length and, when the message opens with {@code typeId}, enters it.
         *
         * @return whether it does; when not, the stream is not one this class reads
         */
        boolean beginMessage(byte[] typeId) {
            end = limit;
            long count = readUint("a gob message length");
            if (count == 0) {
                throw new GobDecodingException("expected a gob value, got an empty gob message");
            }
            if (count < 0 || count > limit - pos) {
                throw new GobDecodingException("a gob message claims " + Long.toUnsignedString(count)
                        + " bytes, but " + (limit - pos) + " are left");
            }
            end = pos + (int) count;
            if (typeId.length > end - pos || !Arrays.equals(in, pos, pos + typeId.length, typeId, 0, typeId.length)) {
                return false;
            }
            pos += typeId.length;
            return true;
        }

        /** Steps over the rest of the message begun (its length was checked against the stream). */
        void skipMessage() {
            pos = end;
        }

        PeerSummary readPeerSummary() {
            long name = -1;
            String nickName = "";
            long uid = 0;
            long version = 0;
            long shortId = 0;
            boolean hasShortId = false;
            int field = -1;
            long delta;
            while ((delta = readUint(PEER)) != 0) {
                field = nextField(field, delta, PEER_SUMMARY_FIELDS, PEER);
                switch (field) {
                    case 0 -> name = readName(PEER);
                    case 1 -> nickName = readString(PEER);
                    case 2 -> uid = readUint(PEER);
                    case 3 -> version = readUint(PEER);
                    case 4 -> shortId = readUint(PEER);
                    default -> hasShortId = readUint(PEER) != 0;
                }
            }
            expectMessageEnd(PEER);
            if (shortId < 0 || shortId > MAX_SHORT_ID) {
                throw new GobDecodingException("field ShortID of a topology peer summary: a uint16, got "
                        + Long.toUnsignedString(shortId));
            }
            if (name < 0) {
                throw new GobDecodingException("NameByte of a topology peer summary: a mac peer name is 6 bytes, got 0");
            }
            return new PeerSummary(PeerName.of(name), nickName, uid, version, (int) shortId, hasShortId);
        }

        List<ConnectionSummary> readConnections() {
            long singleton = readUint(CONNECTIONS);
            if (singleton != 0) {
                throw new GobDecodingException("corrupted gob value for " + CONNECTIONS + ": non-zero delta "
                        + singleton + " for a value outside a struct");
            }
            long count = readCount(CONNECTIONS);
            List<ConnectionSummary> connections = new ArrayList<>((int) Math.min(count, 64));
            for (long i = 0; i < count; i++) {
                if (++elements > GobDecoder.MAX_ELEMENTS) {
                    throw new GobDecodingException(CONNECTIONS + ": more than " + GobDecoder.MAX_ELEMENTS
                            + " elements in one gob stream");
                }
                connections.add(readConnection());
            }
            expectMessageEnd(CONNECTIONS);
            return connections;
        }

        private ConnectionSummary readConnection() {
            long name = -1;
            String remoteTcpAddr = "";
            boolean outbound = false;
            boolean established = false;
            int field = -1;
            long delta;
            while ((delta = readUint(CONNECTIONS)) != 0) {
                field = nextField(field, delta, CONNECTION_SUMMARY_FIELDS, CONNECTIONS);
                switch (field) {
                    case 0 -> name = readName(CONNECTIONS);
                    case 1 -> remoteTcpAddr = readString(CONNECTIONS);
                    case 2 -> outbound = readUint(CONNECTIONS) != 0;
                    default -> established = readUint(CONNECTIONS) != 0;
                }
            }
            if (name < 0) {
                throw new GobDecodingException("NameByte of a topology connection: a mac peer name is 6 bytes, got 0");
            }
            return ConnectionSummary.shared(PeerName.of(name), remoteTcpAddr, outbound, established);
        }

        private static int nextField(int field, long delta, int fieldCount, String what) {
            if (delta < 0 || delta > fieldCount || field + (int) delta >= fieldCount) {
                throw new GobDecodingException("field delta " + Long.toUnsignedString(delta) + " out of range in "
                        + what + ", which has " + fieldCount + " fields");
            }
            return field + (int) delta;
        }

        private void expectMessageEnd(String what) {
            if (pos != end) {
                throw new GobDecodingException((end - pos) + " bytes left over after " + what);
            }
        }

        /** A six-byte {@code []byte} as a 48-bit name. */
        private long readName(String what) {
            long length = readCount(what);
            if (length != PeerName.BYTES) {
                throw new GobDecodingException("NameByte of " + what + ": a mac peer name is 6 bytes, got " + length);
            }
            long value = 0;
            for (int i = 0; i < PeerName.BYTES; i++) {
                value = (value << 8) | (in[pos++] & 0xFF);
            }
            return value;
        }

        private String readString(String what) {
            int length = (int) readCount(what);
            String s = SharedStrings.of(in, pos, length);
            pos += length;
            return s;
        }

        /** A length or count, each unit needing at least one byte of what is left in the message. */
        private long readCount(String what) {
            long count = readUint(what);
            if (count < 0 || count > end - pos) {
                throw new GobDecodingException(what + " claims a length of " + Long.toUnsignedString(count)
                        + ", but its message has " + (end - pos) + " bytes left");
            }
            return count;
        }

        // uint: a byte below 0x80 is the value; otherwise its negation is the count of big-endian bytes that follow.
        long readUint(String what) {
            if (pos >= end) {
                throw new GobDecodingException("expected " + what + ", but the gob message ended");
            }
            int first = in[pos++] & 0xFF;
            if (first < 0x80) {
                return first;
            }
            int count = GobDecoder.uintByteCount(first, end - pos, what);
            long v = GobDecoder.uintBytes(in, pos, count);
            pos += count;
            return v;
        }
    }
}
