package org.nostrp2p.overlay.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.nostrp2p.overlay.name.PeerName;

/**
 * The fast path of the topology gossip codec: writes the gob stream of mesh's
 * {@code Peers.encodePeers} by hand instead of through the generic {@link GobEncoder} and
 * {@link GobDecoder}, which spend most of a large overlay's codec time on boxing, type
 * lookups and per-struct maps.
 *
 * <p>The stream is always laid out the same way, by Go's encoder and by ours:
 * <pre>
 *   [def peerSummary] [peerSummary] [def []connectionSummary] [def connectionSummary] [[]connectionSummary]
 *   then ([peerSummary] [[]connectionSummary]) for every further peer
 * </pre>
 * The three definition messages are constants; they are taken once from the generic encoder
 * (so the two can never disagree) and copied verbatim. The values are written field by field:
 * a field delta before each non-zero field, zero fields omitted, 0 to end a struct, and the
 * singleton delta 0 before the top-level slice.
 *
 * <p>{@link TopologyGobReader} reads such streams back, taking the same constants. Stateless
 * and thread-safe.
 */
final class TopologyGobCodec {

    static final int PEER_SUMMARY_FIELDS = 6;
    static final int CONNECTION_SUMMARY_FIELDS = 4;
    /** mesh's PeerShortID is a uint16. */
    static final long MAX_SHORT_ID = 0xFFFF;
    /** A string of at most this many chars is encoded by hand when it is ASCII. */
    private static final int ASCII_SCAN_LIMIT = 256;

    /** The definition message (with its length) of peerSummary, the first message of a stream. */
    static final byte[] PEER_SUMMARY_DEFINITION;
    /** The definition messages of []connectionSummary and connectionSummary, after the first peer. */
    static final byte[] CONNECTIONS_DEFINITIONS;
    /** The encoded type id opening each peerSummary value message. */
    static final byte[] PEER_SUMMARY_ID;
    /** The encoded type id opening each []connectionSummary value message. */
    static final byte[] CONNECTIONS_ID;
    /** The encoded type id opening a top-level {@code []byte} value message (a gossip frame's data). */
    private static final byte[] BYTES_ID;

    static {
        PeerName name = new PeerName(1);
        byte[] sample = WireCodec.encodeTopologyGeneric(List.of(new PeerUpdate(
                new PeerSummary(name, "", 0, 0, 0, false),
                List.of(new ConnectionSummary(name, "", false, false)))));
        List<byte[]> messages = splitMessages(sample);
        if (messages.size() != 5) {
            throw new IllegalStateException("a one-peer topology stream has 5 gob messages, got " + messages.size());
        }
        PEER_SUMMARY_DEFINITION = messages.get(0);
        CONNECTIONS_DEFINITIONS = concat(messages.get(2), messages.get(3));
        PEER_SUMMARY_ID = typeIdOf(messages.get(1));
        CONNECTIONS_ID = typeIdOf(messages.get(4));
        GobEncoder bytes = new GobEncoder();
        bytes.writeBytes(new byte[0]);
        byte[] empty = bytes.toByteArray(); // count, type id, singleton delta 0, length 0
        if (empty[0] != empty.length - 1 || empty[empty.length - 2] != 0 || empty[empty.length - 1] != 0) {
            throw new IllegalStateException("unexpected gob []byte message " + Arrays.toString(empty));
        }
        BYTES_ID = Arrays.copyOfRange(empty, 1, empty.length - 2);
    }

    private TopologyGobCodec() {
    }

    // ---- encoding

    /**
     * @param updates the peers to describe, in order
     * @return the same bytes as {@link WireCodec#encodeTopologyGeneric}
     * @throws IllegalArgumentException when a short id does not fit mesh's uint16
     */
    static byte[] encode(List<PeerUpdate> updates) {
        List<TopologyEntry> entries = new ArrayList<>(updates.size());
        for (PeerUpdate update : updates) {
            entries.add(entry(update.peer(), update.connections()));
        }
        return encode(entries, new byte[0]);
    }

    /**
     * @return one peer's two value messages, to be laid into streams by {@link #encode(List, byte[])}
     * @throws IllegalArgumentException when the short id does not fit mesh's uint16
     */
    static TopologyEntry entry(PeerSummary peer, Collection<ConnectionSummary> connections) {
        if (peer.shortId() < 0 || peer.shortId() > MAX_SHORT_ID) {
            throw new IllegalArgumentException("a short id is a uint16, got " + peer.shortId());
        }
        // encoded into this thread's scratch buffer, then copied out once: a buffer per entry
        // was a twentieth of what a 500-router join allocated
        Output out = SCRATCH.get();
        out.size = 0;
        writePeerSummary(out, peer);
        int split = out.size;
        writeConnections(out, connections);
        TopologyEntry entry = new TopologyEntry(out.toByteArray(), split);
        if (out.buf.length > MAX_SCRATCH_BYTES) {
            SCRATCH.remove(); // an entry of thousands of links: its buffer is not kept
        }
        return entry;
    }

    /** @return how many bytes {@link #encode(List, byte[])} writes after its prefix */
    static int length(List<TopologyEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        int length = PEER_SUMMARY_DEFINITION.length + CONNECTIONS_DEFINITIONS.length;
        for (TopologyEntry entry : entries) {
            length = Math.addExact(length, entry.bytes.length);
        }
        return length;
    }

    /**
     * @param entries the peers to describe, in order
     * @param prefix  bytes to put before the stream (a frame's header), copied as they are
     * @return {@code prefix} then the stream: the definitions in their place, around the first
     *     entry, and every entry's messages as they were encoded
     */
    static byte[] encode(List<TopologyEntry> entries, byte[] prefix) {
        byte[] out = Arrays.copyOf(prefix, Math.addExact(prefix.length, length(entries)));
        int at = prefix.length;
        boolean first = true;
        for (TopologyEntry entry : entries) {
            byte[] bytes = entry.bytes;
            if (first) {
                at = put(PEER_SUMMARY_DEFINITION, out, at);
                System.arraycopy(bytes, 0, out, at, entry.split);
                at += entry.split;
                at = put(CONNECTIONS_DEFINITIONS, out, at);
                System.arraycopy(bytes, entry.split, out, at, bytes.length - entry.split);
                at += bytes.length - entry.split;
                first = false;
            } else {
                at = put(bytes, out, at);
            }
        }
        return out;
    }

    /**
     * @param head    a gossip frame's channel and source messages ({@link WireCodec#gossipHead})
     * @param entries the peers to describe
     * @return the frame: {@code head}, then the stream of {@code entries} as its {@code []byte} data
     */
    static byte[] gossip(byte[] head, List<TopologyEntry> entries) {
        int length = length(entries);
        long count = (long) BYTES_ID.length + 1 + Output.uintSize(length) + length;
        Output prefix = new Output(head.length + 2 * 9 + BYTES_ID.length + 1);
        prefix.write(head);
        prefix.writeUint(count);
        prefix.write(BYTES_ID);
        prefix.writeUint(0); // singleton delta: a top-level value outside any struct
        prefix.writeUint(length);
        return encode(entries, prefix.toByteArray());
    }

    private static int put(byte[] bytes, byte[] out, int at) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static void writePeerSummary(Output out, PeerSummary peer) {
        int message = out.beginMessage(PEER_SUMMARY_ID);
        out.writeUint(1);
        out.writeName(peer.name());
        int last = 0;
        if (!peer.nickName().isEmpty()) {
            out.writeUint(1 - last);
            last = 1;
            out.writeString(peer.nickName());
        }
        if (peer.uid() != 0) {
            out.writeUint(2 - last);
            last = 2;
            out.writeUint(peer.uid());
        }
        if (peer.version() != 0) {
            out.writeUint(3 - last);
            last = 3;
            out.writeUint(peer.version());
        }
        if (peer.shortId() != 0) {
            out.writeUint(4 - last);
            last = 4;
            out.writeUint(peer.shortId());
        }
        if (peer.hasShortId()) {
            out.writeUint(5 - last);
            out.writeUint(1);
        }
        out.writeUint(0);
        out.endMessage(message);
    }

    private static void writeConnections(Output out, Collection<ConnectionSummary> connections) {
        int message = out.beginMessage(CONNECTIONS_ID);
        out.writeUint(0); // singleton delta: a top-level value outside any struct
        out.writeUint(connections.size());
        for (ConnectionSummary c : connections) {
            out.writeUint(1);
            out.writeName(c.name());
            int last = 0;
            if (!c.remoteTcpAddr().isEmpty()) {
                out.writeUint(1);
                last = 1;
                out.writeString(c.remoteTcpAddr());
            }
            if (c.outbound()) {
                out.writeUint(2 - last);
                last = 2;
                out.writeUint(1);
            }
            if (c.established()) {
                out.writeUint(3 - last);
                out.writeUint(1);
            }
            out.writeUint(0);
        }
        out.endMessage(message);
    }

    // Reused by entry() on each thread, up to this size.
    private static final int MAX_SCRATCH_BYTES = 64 * 1024;
    private static final ThreadLocal<Output> SCRATCH = ThreadLocal.withInitial(() -> new Output(1024));

    /** A growable byte array with gob's number, string and message encodings. */
    private static final class Output {

        private byte[] buf;
        private int size;

        Output(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        void write(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        /** @return how many bytes {@link #writeUint} writes for {@code value} */
        static int uintSize(long value) {
            return value >= 0 && value < 0x80 ? 1 : 1 + 8 - Long.numberOfLeadingZeros(value) / 8;
        }

        // uint: below 0x80 one byte; else the negated byte count, then big-endian bytes.
        void writeUint(long value) {
            ensure(9);
            if (value >= 0 && value < 0x80) {
                buf[size++] = (byte) value;
                return;
            }
            int bytes = 8 - Long.numberOfLeadingZeros(value) / 8;
            buf[size++] = (byte) (256 - bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                buf[size++] = (byte) (value >>> (8 * i));
            }
        }

        /** A name as its six-byte {@code []byte}: length then big-endian bytes. */
        void writeName(PeerName name) {
            ensure(1 + PeerName.BYTES);
            long value = name.value();
            buf[size++] = PeerName.BYTES;
            for (int i = PeerName.BYTES - 1; i >= 0; i--) {
                buf[size++] = (byte) (value >>> (8 * i));
            }
        }

        void writeString(String value) {
            int length = value.length();
            if (length <= ASCII_SCAN_LIMIT && isAscii(value)) {
                writeUint(length);
                ensure(length);
                for (int i = 0; i < length; i++) {
                    buf[size++] = (byte) value.charAt(i);
                }
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            writeUint(bytes.length);
            write(bytes);
        }

        private static boolean isAscii(String value) {
            for (int i = 0; i < value.length(); i++) {
                if (value.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Starts a message whose length is not known yet: one byte is reserved for it, which
         * {@link #endMessage} widens when the message turns out longer.
         *
         * @return where the message starts
         */
        int beginMessage(byte[] typeId) {
            ensure(1);
            int start = size++;
            write(typeId);
            return start;
        }

        void endMessage(int start) {
            int length = size - start - 1;
            if (length < 0x80) {
                buf[start] = (byte) length;
                return;
            }
            int lengthBytes = 4 - Integer.numberOfLeadingZeros(length) / 8;
            ensure(lengthBytes);
            System.arraycopy(buf, start + 1, buf, start + 1 + lengthBytes, length);
            buf[start] = (byte) (256 - lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                buf[start + 1 + i] = (byte) (length >>> (8 * (lengthBytes - 1 - i)));
            }
            size += lengthBytes;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }

    // ---- the canonical definitions, taken from the generic encoder's output

    private static List<byte[]> splitMessages(byte[] stream) {
        List<byte[]> messages = new ArrayList<>();
        TopologyGobReader.Input in = new TopologyGobReader.Input(stream, 0, stream.length);
        while (in.pos < stream.length) {
            int start = in.pos;
            long length = in.readUint("a message length");
            int to = in.pos + (int) length;
            messages.add(Arrays.copyOfRange(stream, start, to));
            in.pos = to;
        }
        return messages;
    }

    /** @return the bytes of a value message's type id, checking it is a value (not a definition) */
    private static byte[] typeIdOf(byte[] message) {
        TopologyGobReader.Input in = new TopologyGobReader.Input(message, 0, message.length);
        in.readUint("a message length");
        int from = in.pos;
        long id = in.readUint("a type id");
        if ((id & 1) != 0) {
            throw new IllegalStateException("expected a value message, got a definition");
        }
        return Arrays.copyOfRange(message, from, in.pos);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
