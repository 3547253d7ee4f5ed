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
 * <p>The same channel carries the lazy half of topology news ({@link TopologyNews}): a
 * <em>have</em> announces entries as a digest does, without saying it is everything its sender
 * knows; a <em>prune</em> asks the receiver to send this peer haves instead of entries (the
 * sender is getting them by another way); a want also undoes a prune. A <em>hello</em> is a
 * digest sent as a link opens, in place of the whole topology a new neighbour would be sent.
 *
 * <p>Wire format, on the gossip channel {@link #CHANNEL} (tag 4, which only Java peers are sent):
 * a type byte ({@code 1} digest, {@code 2} want, {@code 3} have, {@code 4} prune, {@code 5} hello), an
 * unsigned varint count, then per entry the 6-byte name, for a digest, a have or a hello followed by the 8-byte
 * UID (big-endian) and the version as an unsigned varint. A prune has no entries. Decoding is
 * bounded ({@link Peers#MAX_PEERS} entries) and exact: anything else is a
 * {@link ProtocolException}.
 */
final class TopologyDigest {

    /** The gossip channel digests and wants travel on. */
    static final String CHANNEL = "np2p-topology-digest";

    /** What a message says; the wire's type byte is the ordinal plus one. */
    enum Kind {
        /** Every entry its sender knows. */
        DIGEST,
        /** Entries the sender lacks or has older (names only): send them. */
        WANT,
        /** Entries the sender has (announced lazily, see {@link TopologyNews}). */
        HAVE,
        /** Send the sender haves, not entries. */
        PRUNE,
        /**
         * Every entry its sender knows, sent as a link opens where mesh sends the whole topology:
         * the receiver sends the entries the sender lacks or has older, and wants the ones it
         * lacks only if it did not send a hello itself on that link (that hello has the sender
         * send them).
         */
        HELLO;

        int code() {
            return ordinal() + 1;
        }

        boolean versioned() {
            return this == DIGEST || this == HAVE || this == HELLO;
        }
    }

    /** One peer's entry as a digest describes it. */
    record Entry(PeerName name, long uid, long version) {
    }

    /** A decoded message: entries with versions (digest, have), names only (want, UIDs and versions 0), or none (prune). */
    record Message(Kind kind, List<Entry> entries) {
    }

    private TopologyDigest() {
    }

    static byte[] digest(List<Entry> entries) {
        return versioned(Kind.DIGEST, entries);
    }

    static byte[] hello(List<Entry> entries) {
        return versioned(Kind.HELLO, entries);
    }

    static byte[] have(List<Entry> entries) {
        return versioned(Kind.HAVE, entries);
    }

    static byte[] prune() {
        return new byte[] {(byte) Kind.PRUNE.code(), 0};
    }

    private static byte[] versioned(Kind kind, List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + entries.size() * 17);
        out.write(kind.code());
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
        out.write(Kind.WANT.code());
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
        if (type < 1 || type > Kind.values().length) {
            throw new ProtocolException("topology digest: unknown message type " + type);
        }
        Kind kind = Kind.values()[type - 1];
        long count = in.readVarint();
        int perEntry = kind.versioned() ? 6 + 8 + 1 : 6;
        if (kind == Kind.PRUNE && count != 0) {
            throw new ProtocolException("topology digest: a prune with " + Long.toUnsignedString(count) + " entries");
        }
        if (count > Peers.MAX_PEERS || count * perEntry > data.length) {
            throw new ProtocolException("topology digest: " + Long.toUnsignedString(count) + " entries in "
                    + data.length + " bytes (at most " + Peers.MAX_PEERS + ")");
        }
        List<Entry> entries = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            PeerName name = PeerName.fromBytes(in.readBytes(6));
            if (kind.versioned()) {
                long uid = in.readLong();
                entries.add(new Entry(name, uid, in.readVarint()));
            } else {
                entries.add(new Entry(name, 0, 0));
            }
        }
        in.expectEnd("last entry");
        return new Message(kind, entries);
    }
}
