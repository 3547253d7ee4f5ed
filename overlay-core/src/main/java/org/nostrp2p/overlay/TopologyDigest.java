package org.nostrp2p.overlay;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.wire.ProtocolException;

/**
 * Beyond mesh, between Java peers only: topology anti-entropy by versions. A digest lists the
 * (name, UID, version) of every peer its sender knows, about 17 bytes each where the entry
 * itself is ~240; the receiver answers with a want for the entries it lacks or has older, and
 * sends, as ordinary topology gossip, those it has newer or the sender lacks. Mesh's periodic
 * gossip sends the whole topology instead (250 KB at 1,000 peers).
 *
 * <p>Wire format, on the gossip channel {@link #CHANNEL} (tag 4, which only Java peers are sent):
 * a type byte ({@code 1} digest, {@code 2} want), an unsigned varint count, then per entry the
 * 6-byte name, for a digest followed by the 8-byte UID (big-endian) and the version as an
 * unsigned varint. Decoding is bounded ({@link Peers#MAX_PEERS} entries) and exact: anything
 * else is a {@link ProtocolException}.
 */
final class TopologyDigest {

    /** The gossip channel digests and wants travel on. */
    static final String CHANNEL = "np2p-topology-digest";

    private static final int DIGEST = 1;
    private static final int WANT = 2;

    /** One peer's entry as a digest describes it. */
    record Entry(PeerName name, long uid, long version) {
    }

    /** A decoded message: a digest ({@code want} false, entries) or a want (names only, UIDs and versions 0). */
    record Message(boolean want, List<Entry> entries) {
    }

    private TopologyDigest() {
    }

    static byte[] digest(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + entries.size() * 17);
        out.write(DIGEST);
        BoundedReader.writeVarint(out, entries.size());
        for (Entry e : entries) {
            out.writeBytes(e.name().toBytes());
            BoundedReader.writeLong(out, e.uid());
            BoundedReader.writeVarint(out, e.version());
        }
        return out.toByteArray();
    }

    static byte[] want(List<PeerName> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + names.size() * 6);
        out.write(WANT);
        BoundedReader.writeVarint(out, names.size());
        for (PeerName name : names) {
            out.writeBytes(name.toBytes());
        }
        return out.toByteArray();
    }

    /** @throws ProtocolException for anything but exactly one well-formed message */
    static Message decode(byte[] data) {
        BoundedReader in = new BoundedReader("topology digest", data);
        int type = in.readByte();
        if (type != DIGEST && type != WANT) {
            throw new ProtocolException("topology digest: unknown message type " + type);
        }
        long count = in.readVarint();
        int perEntry = type == DIGEST ? 6 + 8 + 1 : 6;
        if (count > Peers.MAX_PEERS || count * perEntry > data.length) {
            throw new ProtocolException("topology digest: " + Long.toUnsignedString(count) + " entries in "
                    + data.length + " bytes (at most " + Peers.MAX_PEERS + ")");
        }
        List<Entry> entries = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            PeerName name = PeerName.fromBytes(in.readBytes(6));
            if (type == DIGEST) {
                long uid = in.readLong();
                entries.add(new Entry(name, uid, in.readVarint()));
            } else {
                entries.add(new Entry(name, 0, 0));
            }
        }
        in.expectEnd("last entry");
        return new Message(type == WANT, entries);
    }
}
