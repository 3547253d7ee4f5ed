package org.nostrp2p.overlay.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nostrp2p.overlay.name.PeerName;

/**
 * The gob-encoded payloads of the mesh protocol, byte for byte as weaveworks/mesh writes
 * them: the features map of the handshake (protocol.go), the gossip, broadcast and unicast
 * frame bodies (gossip_channel.go {@code gobEncode}, router.go {@code handleGossip}), and
 * the topology gossip data (peers.go {@code encodePeers}/{@code decodeUpdate}).
 *
 * <p>Decoders are bounded and total: any input either decodes or raises
 * {@link GobDecodingException} with a message saying what was expected and what came;
 * inputs over {@link #MAX_FRAME_BYTES} are refused before they are read. Arguments must not
 * be {@code null}. Stateless and thread-safe.
 *
 * <p>Topology data, the bulk of a large overlay's codec work, goes through a hand-written
 * fast path ({@link TopologyGobCodec}) that writes the same bytes and reads the same values
 * as the generic gob encoder and decoder, falling back to the generic decoder for any stream
 * not laid out as mesh writes it.
 */
public final class WireCodec {

    /** Max bytes of a frame body (mesh maxTCPMsgSize, 10 MiB). */
    public static final int MAX_FRAME_BYTES = 10 * 1024 * 1024;

    /** The gossip channel mesh uses for topology. */
    public static final String TOPOLOGY_CHANNEL = "topology";

    private static final GobType FEATURES = new GobType.MapOf(GobType.Builtin.STRING, GobType.Builtin.STRING);

    /** mesh peer.go {@code peerSummary}. */
    static final GobType.Struct PEER_SUMMARY = new GobType.Struct("peerSummary", List.of(
            new GobType.Field("NameByte", GobType.Builtin.BYTES),
            new GobType.Field("NickName", GobType.Builtin.STRING),
            new GobType.Field("UID", GobType.Builtin.UINT),
            new GobType.Field("Version", GobType.Builtin.UINT),
            new GobType.Field("ShortID", GobType.Builtin.UINT),
            new GobType.Field("HasShortID", GobType.Builtin.BOOL)));

    /** mesh peers.go {@code connectionSummary}. */
    static final GobType.Struct CONNECTION_SUMMARY = new GobType.Struct("connectionSummary", List.of(
            new GobType.Field("NameByte", GobType.Builtin.BYTES),
            new GobType.Field("RemoteTCPAddr", GobType.Builtin.STRING),
            new GobType.Field("Outbound", GobType.Builtin.BOOL),
            new GobType.Field("Established", GobType.Builtin.BOOL)));

    private static final GobType.Slice CONNECTION_SUMMARIES = new GobType.Slice(CONNECTION_SUMMARY);

    /** mesh's PeerShortID is a uint16 (12 bits used); Go refuses a wider value. */
    private static final long MAX_SHORT_ID = 0xFFFF;

    private WireCodec() {
    }

    /**
     * Encodes the features map, the first frame after the handshake (a gob
     * {@code map[string]string}). Entries are written in the map's iteration order; Go
     * writes them in random order and decodes any.
     *
     * @param features feature names to values (mesh sends PeerNameFlavour, Name, NickName,
     *                 ShortID, UID, ConnID, Trusted)
     * @return the frame body
     */
    public static byte[] encodeFeatures(Map<String, String> features) {
        GobEncoder encoder = new GobEncoder();
        encoder.write(FEATURES, Objects.requireNonNull(features, "features"));
        return encoder.toByteArray();
    }

    /**
     * @param frame the features frame body
     * @return its entries in wire order
     * @throws GobDecodingException when it is not one gob {@code map[string]string}
     */
    public static Map<String, String> decodeFeatures(byte[] frame) {
        GobDecoder decoder = decoder(frame, "features");
        Map<String, String> features = decoder.readStringMap("the features map");
        expectEnd(decoder, "the features map");
        return features;
    }

    /**
     * Encodes a tag 4 (gossip) or tag 6 (broadcast) payload: channel, source, data.
     *
     * @param frame the frame
     * @return the payload, without the tag byte
     */
    public static byte[] encodeGossip(GossipFrame frame) {
        GobEncoder encoder = new GobEncoder();
        encoder.writeString(frame.channel());
        encoder.writeUint(frame.source().value());
        encoder.writeBytes(frame.data());
        return encoder.toByteArray();
    }

    /**
     * @param channel a gossip channel's name
     * @param source  the peer that sends on it
     * @return how every tag 4 or tag 6 payload {@code source} sends on {@code channel} starts, for
     *     {@link #encodeTopologyGossip}
     */
    public static byte[] gossipHead(String channel, PeerName source) {
        GobEncoder encoder = new GobEncoder();
        encoder.writeString(channel);
        encoder.writeUint(source.value());
        return encoder.toByteArray();
    }

    /**
     * Encodes a topology gossip payload from entries encoded beforehand: the same bytes as
     * {@link #encodeGossip} of a frame whose data is {@link #encodeTopology} of those peers,
     * written in one array.
     *
     * @param head    {@link #gossipHead} of the topology channel and the sending peer
     * @param entries the peers to describe, in order
     * @return the payload, without the tag byte
     */
    public static byte[] encodeTopologyGossip(byte[] head, List<TopologyEntry> entries) {
        return TopologyGobCodec.gossip(head, entries);
    }

    /**
     * @param payload a tag 4 or tag 6 payload, without the tag byte
     * @return the frame
     * @throws GobDecodingException when it is not a gob string, uint and []byte
     */
    public static GossipFrame decodeGossip(byte[] payload) {
        GossipHead head = decodeGossipHead(payload);
        return new GossipFrame(head.channel(), head.source(), head.data(payload));
    }

    /**
     * The head of a tag 4 (gossip) or tag 6 (broadcast) payload, and where its data lies in
     * the payload: read as {@link #decodeGossip} reads it, the data not copied.
     *
     * @param channel    the gossip channel name
     * @param source     the sender (gossip) or the originator (broadcast)
     * @param dataOffset where the data begins in the payload
     * @param dataLength how many bytes it has
     */
    public record GossipHead(String channel, PeerName source, int dataOffset, int dataLength) {
        /** @return a copy of the data of {@code payload}, the payload this head was read from */
        public byte[] data(byte[] payload) {
            return Arrays.copyOfRange(payload, dataOffset, dataOffset + dataLength);
        }
    }

    /**
     * @param payload a tag 4 or tag 6 payload, without the tag byte
     * @return its head; the data stays where it is in the payload (topology gossip is decoded
     *     there: copying it out was a twelfth of what a 500-router join allocated)
     * @throws GobDecodingException when it is not a gob string, uint and []byte
     */
    public static GossipHead decodeGossipHead(byte[] payload) {
        GobDecoder decoder = decoder(payload, "gossip");
        String channel = decoder.readString("the gossip channel name");
        PeerName source = peerName(decoder.readUint("the gossip source peer name"), "the gossip source");
        int length = decoder.skipBytes("the gossip data");
        int offset = decoder.position() - length;
        expectEnd(decoder, "the gossip data");
        return new GossipHead(channel, source, offset, length);
    }

    /**
     * Encodes a tag 5 (unicast) payload: channel, source, destination, data.
     *
     * @param frame the frame
     * @return the payload, without the tag byte
     */
    public static byte[] encodeUnicast(UnicastFrame frame) {
        GobEncoder encoder = new GobEncoder();
        encoder.writeString(frame.channel());
        encoder.writeUint(frame.source().value());
        encoder.writeUint(frame.destination().value());
        encoder.writeBytes(frame.data());
        return encoder.toByteArray();
    }

    /**
     * @param payload a tag 5 payload, without the tag byte
     * @return the frame
     * @throws GobDecodingException when it is not a gob string, uint, uint and []byte
     */
    public static UnicastFrame decodeUnicast(byte[] payload) {
        GobDecoder decoder = decoder(payload, "unicast");
        String channel = decoder.readString("the unicast channel name");
        PeerName source = peerName(decoder.readUint("the unicast source peer name"), "the unicast source");
        PeerName destination = peerName(decoder.readUint("the unicast destination peer name"),
                "the unicast destination");
        byte[] data = decoder.readBytes("the unicast data");
        expectEnd(decoder, "the unicast data");
        return new UnicastFrame(channel, source, destination, data);
    }

    /**
     * Encodes topology gossip data: its own gob stream, with type definitions, holding for
     * each update a {@code peerSummary} then its {@code []connectionSummary} (always sent,
     * even empty), as mesh's {@code Peers.encodePeers} does.
     *
     * @param updates the peers to describe, in order
     * @return the data to carry in a gossip frame on channel {@value #TOPOLOGY_CHANNEL}
     * @throws IllegalArgumentException when a short id does not fit mesh's uint16
     */
    public static byte[] encodeTopology(List<PeerUpdate> updates) {
        return TopologyGobCodec.encode(updates);
    }

    /**
     * {@link #encodeTopology} through the generic {@link GobEncoder}: the reference the fast
     * path ({@link TopologyGobCodec}) is tested against and takes its type definitions from.
     */
    static byte[] encodeTopologyGeneric(List<PeerUpdate> updates) {
        GobEncoder encoder = new GobEncoder();
        for (PeerUpdate update : updates) {
            PeerSummary peer = update.peer();
            if (peer.shortId() < 0 || peer.shortId() > MAX_SHORT_ID) {
                throw new IllegalArgumentException("a short id is a uint16, got " + peer.shortId());
            }
            encoder.write(PEER_SUMMARY, Arrays.asList(peer.name().toBytes(), peer.nickName(), peer.uid(),
                    peer.version(), (long) peer.shortId(), peer.hasShortId()));
            List<Object> connections = new ArrayList<>(update.connections().size());
            for (ConnectionSummary c : update.connections()) {
                connections.add(Arrays.asList(c.name().toBytes(), c.remoteTcpAddr(), c.outbound(), c.established()));
            }
            encoder.write(CONNECTION_SUMMARIES, connections);
        }
        return encoder.toByteArray();
    }

    /**
     * @param data topology gossip data
     * @return the updates it holds, in order (possibly none)
     * @throws GobDecodingException when it is not a sequence of peerSummary and
     *                              []connectionSummary pairs, or a name is not six bytes
     */
    public static List<PeerUpdate> decodeTopology(byte[] data) {
        return decodeTopology(data, 0, data.length);
    }

    /**
     * Decodes topology gossip data where it lies, as {@link #decodeTopology(byte[])} decodes
     * a whole array.
     *
     * @param buffer holds the data, which must not change while read
     * @param offset where it begins
     * @param length how many bytes it has
     * @return the updates it holds, in order (possibly none)
     * @throws GobDecodingException as {@link #decodeTopology(byte[])} does
     */
    public static List<PeerUpdate> decodeTopology(byte[] buffer, int offset, int length) {
        return decodeTopology(buffer, offset, length, PeerUpdate.KnownEntries.NONE);
    }

    /**
     * Decodes topology gossip data where it lies, as {@link #decodeTopology(byte[], int, int)}
     * does, but skips unread the connection list of each entry that {@code known} has (a
     * {@linkplain PeerUpdate#connectionsRead() summary only}). Each list is a gob message of its
     * own, so skipping one costs its length, bounded as reading it is; a malformed list in a
     * skipped entry goes unnoticed, as its content would go unused. Streams not laid out as mesh
     * writes them are read whole.
     *
     * @param known which entries the reader has; asked at most once per entry, in order (not
     *              at all for a stream read whole)
     * @throws GobDecodingException as {@link #decodeTopology(byte[])} does
     */
    public static List<PeerUpdate> decodeTopology(byte[] buffer, int offset, int length,
                                                  PeerUpdate.KnownEntries known) {
        Objects.requireNonNull(buffer, "topology");
        Objects.requireNonNull(known, "known");
        Objects.checkFromIndexSize(offset, length, buffer.length);
        checkSize(length, "topology");
        try {
            List<PeerUpdate> updates = TopologyGobReader.decode(buffer, offset, offset + length, known);
            if (updates != null) {
                return updates;
            }
        } catch (GobDecodingException refused) {
            // refused: the generic decoder refuses it too, and says why in its own words
        }
        // laid out otherwise than mesh writes it (rare): the generic decoder reads a copy
        return decodeTopologyGeneric(offset == 0 && length == buffer.length
                ? buffer : Arrays.copyOfRange(buffer, offset, offset + length));
    }

    /**
     * {@link #decodeTopology} through the generic {@link GobDecoder}, which reads any gob
     * stream of these types (other type ids, definitions in another order or with other
     * fields); the fast path hands it every stream not laid out as mesh writes it.
     */
    static List<PeerUpdate> decodeTopologyGeneric(byte[] data) {
        GobDecoder decoder = decoder(data, "topology");
        List<PeerUpdate> updates = new ArrayList<>();
        while (!decoder.atEnd()) {
            GobStruct peer = decoder.readStruct("a topology peer summary");
            long shortId = peer.uint("ShortID");
            if (shortId < 0 || shortId > MAX_SHORT_ID) {
                throw new GobDecodingException("field ShortID of a topology peer summary: a uint16, got "
                        + Long.toUnsignedString(shortId));
            }
            PeerSummary summary = new PeerSummary(nameBytes(peer.bytes("NameByte"), "a topology peer summary"),
                    peer.string("NickName"), peer.uint("UID"), peer.uint("Version"), (int) shortId,
                    peer.bool("HasShortID"));
            if (decoder.atEnd()) {
                throw new GobDecodingException("the topology data ends after the peer summary of "
                        + summary.name() + ", without its connection list");
            }
            // error texts are constants here: this loop runs for every peer of every topology message
            List<GobStruct> connectionStructs = decoder.readStructSlice("the connection list of a topology peer");
            List<ConnectionSummary> connections = new ArrayList<>(connectionStructs.size());
            for (GobStruct c : connectionStructs) {
                connections.add(new ConnectionSummary(nameBytes(c.bytes("NameByte"), "a topology connection"),
                        c.string("RemoteTCPAddr"), c.bool("Outbound"), c.bool("Established")));
            }
            updates.add(new PeerUpdate(summary, connections));
        }
        return updates;
    }

    private static GobDecoder decoder(byte[] input, String what) {
        checkSize(input, what);
        return new GobDecoder(input);
    }

    private static void checkSize(byte[] input, String what) {
        Objects.requireNonNull(input, what);
        checkSize(input.length, what);
    }

    private static void checkSize(int length, String what) {
        if (length > MAX_FRAME_BYTES) {
            throw new GobDecodingException("a " + what + " payload of " + length + " bytes exceeds the "
                    + MAX_FRAME_BYTES + "-byte frame limit");
        }
    }

    private static void expectEnd(GobDecoder decoder, String last) {
        if (!decoder.atEnd()) {
            throw new GobDecodingException("unexpected gob values after " + last);
        }
    }

    private static PeerName peerName(long value, String what) {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new GobDecodingException(what + " is not a 48-bit mac peer name: 0x" + Long.toHexString(value));
        }
        return PeerName.of(value);
    }

    private static PeerName nameBytes(byte[] bytes, String what) {
        if (bytes.length != PeerName.BYTES) {
            throw new GobDecodingException("NameByte of " + what + ": a mac peer name is 6 bytes, got " + bytes.length);
        }
        return PeerName.fromBytes(bytes);
    }
}
