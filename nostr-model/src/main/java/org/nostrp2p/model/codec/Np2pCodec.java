package org.nostrp2p.model.codec;

import java.util.List;
import org.nostrp2p.model.Event;

/**
 * MessagePack exactly as Go's vmihailenco/msgpack/v5 writes NostrP2P's types: maps keyed by
 * the Go field names, uint16 as 0xcd, {@code Created_at} as float64, byte arrays as bin, tags
 * as lists of lists of bin. Decoders also take compact integers and str where bin is expected,
 * are bounded by the input, and throw only {@link CodecException}. Thread-safe.
 */
public final class Np2pCodec {
    // CONTRACT: implemented by the nostr-model work (issue 2).
    private Np2pCodec() {
    }

    public static byte[] encodeEvent(Event event) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Event decodeEvent(byte[] bytes) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static byte[] encodePacket(Np2pPacket packet) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Np2pPacket decodePacket(byte[] bytes) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The body of a REST {@code /req} answer, {@code {"Evts": [...]}}. */
    public static byte[] encodeEventsResp(List<Event> events) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static List<Event> decodeEventsResp(byte[] bytes) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
