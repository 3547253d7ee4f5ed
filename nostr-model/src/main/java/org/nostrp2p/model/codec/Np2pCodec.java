package org.nostrp2p.model.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePackException;
import org.msgpack.value.ValueType;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventLimits;

/**
 * MessagePack exactly as Go's vmihailenco/msgpack/v5 writes NostrP2P's types: maps keyed by
 * the Go field names, uint16 as 0xcd, {@code Created_at} as float64, byte arrays as bin, tags
 * as lists of lists of bin. Decoders also take compact integers and str where bin is expected,
 * are bounded by the input, and throw only {@link CodecException}. Thread-safe.
 *
 * <p>Decoders take at most {@link EventJson#MAX_TAGS} tags of at most
 * {@link EventJson#MAX_TAG_ELEMENTS} strings per event, as the JSON parser does, and allocate
 * nothing for empty or one-character strings, so the memory a decoded value takes stays a
 * small multiple of its bytes.
 *
 * <p>Two deliberate differences from a byte-for-byte Go round trip, both because an
 * {@link Event} has no nil tags: a Go {@code Tags} nil decodes to an empty list and is
 * written back as an empty list (0x90), which is what the Flutter client needs; and an
 * {@code Args} entry whose value is nil decodes to an empty list.
 */
public final class Np2pCodec {
    private static final String EVENT = "Np2pEvent";
    private static final String PACKET = "Np2pPacket";
    private static final String REQ = "Np2pReq";
    private static final String EVENTS_RESP = "EventsResp";
    private static final long MAX_SAFE_SECONDS = 1L << 53;

    private Np2pCodec() {
    }

    /** @return the Go {@code Np2pEvent} bytes of {@code event} */
    public static byte[] encodeEvent(Event event) {
        try {
            var out = new MsgpackWriter();
            writeEvent(out, event);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    /**
     * @return the event (not verified)
     * @throws CodecException when the bytes are not one well-formed {@code Np2pEvent}
     */
    public static Event decodeEvent(byte[] bytes) {
        return decode(bytes, EVENT, in -> readEvent(in));
    }

    /** @return the Go {@code Np2pPacket} bytes of {@code packet} */
    public static byte[] encodePacket(Np2pPacket packet) {
        try {
            var out = new MsgpackWriter();
            out.mapHeader(4);
            out.str("SrvVer").uint16(packet.srvVer());
            out.str("PktVer").uint16(packet.pktVer());
            out.str("Events");
            if (packet.events() == null) {
                out.nil();
            } else {
                out.arrayHeader(packet.events().size());
                for (Event event : packet.events()) {
                    writeEvent(out, event);
                }
            }
            out.str("Reqs");
            if (packet.reqs() == null) {
                out.nil();
            } else {
                out.arrayHeader(packet.reqs().size());
                for (Np2pReq req : packet.reqs()) {
                    writeReq(out, req);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    /**
     * @return the packet; {@code events} and {@code reqs} are {@code null} where the bytes had
     *     nil and lists (possibly empty) where they had lists
     * @throws CodecException when the bytes are not one well-formed {@code Np2pPacket}
     */
    public static Np2pPacket decodePacket(byte[] bytes) {
        return decode(bytes, PACKET, Np2pCodec::readPacket);
    }

    /**
     * A packet decoded under {@link EventLimits}: the events within them, and why each of the
     * others was left out.
     *
     * @param packet   the packet, holding only the events within the limits
     * @param refusals one reason per event left out, in packet order
     */
    public record Screened(Np2pPacket packet, List<String> refusals) {
        public Screened {
            refusals = List.copyOf(refusals);
        }
    }

    /**
     * Decodes a packet from the network, leaving out each event that exceeds {@code limits}:
     * an event whose encoding is larger than {@link EventLimits#maxEventBytes()} is skipped
     * without being decoded (nothing of it is allocated); the others are decoded and checked
     * against the tag limits. Times are not checked here (that needs a clock).
     *
     * @param bytes  the packet
     * @param limits the bounds of one event
     * @return the packet and the refusals
     * @throws CodecException when the bytes are not one well-formed {@code Np2pPacket}
     */
    public static Screened decodePacket(byte[] bytes, EventLimits limits) {
        List<String> refusals = new ArrayList<>();
        Np2pPacket packet = decode(bytes, PACKET, in -> readPacket(in, limits, refusals));
        return new Screened(packet, refusals);
    }

    /** The body of a REST {@code /req} answer, {@code {"Evts": [...]}}. */
    public static byte[] encodeEventsResp(List<Event> events) {
        try {
            var out = new MsgpackWriter();
            out.mapHeader(1).str("Evts").arrayHeader(events.size());
            for (Event event : events) {
                writeEvent(out, event);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    /**
     * @return the events of a REST {@code /req} answer (empty for nil)
     * @throws CodecException when the bytes are not one well-formed {@code EventsResp}
     */
    public static List<Event> decodeEventsResp(byte[] bytes) {
        return decode(bytes, EVENTS_RESP, in -> {
            List<Event> events = List.of();
            int entries = in.mapHeader(EVENTS_RESP);
            for (int i = 0; i < entries; i++) {
                String key = in.string(EVENTS_RESP + " key");
                if (key.equals("Evts")) {
                    List<Event> read = readEvents(in, EVENTS_RESP + ".Evts");
                    events = read == null ? List.of() : read;
                } else {
                    in.skip(EVENTS_RESP + "." + key);
                }
            }
            return events;
        });
    }

    private interface Body<T> {
        T read(MsgpackReader in) throws IOException;
    }

    private static <T> T decode(byte[] bytes, String what, Body<T> body) {
        if (bytes == null) {
            throw new CodecException(what + ": expected bytes, got null");
        }
        try {
            var in = new MsgpackReader(bytes);
            T value = body.read(in);
            in.expectEnd(what);
            return value;
        } catch (CodecException e) {
            throw e;
        } catch (IOException | MessagePackException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new CodecException(what + ": malformed MessagePack: " + detail, e);
        } catch (RuntimeException e) {
            // Any other failure on hostile input is still only a bad input.
            throw new CodecException(what + ": " + e.getMessage(), e);
        }
    }

    private static void writeEvent(MsgpackWriter out, Event event) throws IOException {
        out.mapHeader(7);
        out.str("Id").bin(event.id());
        out.str("Pubkey").bin(event.pubkey());
        out.str("Created_at").float64(event.createdAt());
        out.str("Kind").uint16(event.kind());
        out.str("Tags").arrayHeader(event.tags().size());
        for (List<String> tag : event.tags()) {
            out.arrayHeader(tag.size());
            for (String element : tag) {
                out.bin(element.getBytes(StandardCharsets.UTF_8));
            }
        }
        out.str("Content").str(event.content());
        out.str("Sig");
        byte[] sig = event.sig();
        if (sig == null) {
            out.nil();
        } else {
            out.bin(sig);
        }
    }

    private static void writeReq(MsgpackWriter out, Np2pReq req) throws IOException {
        out.mapHeader(3);
        out.str("Id").uint64(req.id());
        out.str("Kind").uint16(req.kind());
        out.str("Args");
        if (req.args() == null) {
            out.nil();
            return;
        }
        out.mapHeader(req.args().size());
        for (Map.Entry<String, List<Object>> arg : req.args().entrySet()) {
            out.str(arg.getKey());
            List<Object> values = arg.getValue();
            if (values == null) {
                out.nil();
                continue;
            }
            out.arrayHeader(values.size());
            for (Object value : values) {
                writeArgValue(out, arg.getKey(), value);
            }
        }
    }

    private static void writeArgValue(MsgpackWriter out, String key, Object value) throws IOException {
        if (value == null) {
            out.nil();
        } else if (value instanceof byte[] bytes) {
            out.bin(bytes);
        } else if (value instanceof String text) {
            out.str(text);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            out.int64(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            out.float64(((Number) value).doubleValue());
        } else if (value instanceof Boolean bool) {
            out.bool(bool);
        } else {
            throw new IllegalArgumentException("Np2pReq.Args[" + key + "]: cannot write a "
                    + value.getClass().getName() + "; use byte[], String, Long, Double, Boolean or null");
        }
    }

    private static Np2pPacket readPacket(MsgpackReader in) throws IOException {
        return readPacket(in, null, null);
    }

    private static Np2pPacket readPacket(MsgpackReader in, EventLimits limits, List<String> refusals) throws IOException {
        int srvVer = 0;
        int pktVer = 0;
        List<Event> events = null;
        List<Np2pReq> reqs = null;
        int entries = in.mapHeader(PACKET);
        for (int i = 0; i < entries; i++) {
            String key = in.string(PACKET + " key");
            switch (key) {
                case "SrvVer" -> srvVer = (int) in.integer(PACKET + ".SrvVer", 0, 0xffff);
                case "PktVer" -> pktVer = (int) in.integer(PACKET + ".PktVer", 0, 0xffff);
                case "Events" -> events = readEvents(in, PACKET + ".Events", limits, refusals);
                case "Reqs" -> reqs = readReqs(in);
                default -> in.skip(PACKET + "." + key);
            }
        }
        return new Np2pPacket(srvVer, pktVer, events, reqs);
    }

    private static List<Event> readEvents(MsgpackReader in, String what) throws IOException {
        return readEvents(in, what, null, null);
    }

    private static List<Event> readEvents(MsgpackReader in, String what, EventLimits limits, List<String> refusals)
            throws IOException {
        if (in.tryNil(what)) {
            return null;
        }
        int count = in.arrayHeader(what);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.tryNil(what)) {
                throw new CodecException(what + "[" + i + "]: nil event");
            }
            if (limits == null) {
                events.add(readEvent(in));
                continue;
            }
            int size = in.nextValueBytes(what);
            if (size > limits.maxEventBytes()) {
                in.skip(what);
                refusals.add("an event of " + size + " bytes, more than the " + limits.maxEventBytes() + " accepted");
                continue;
            }
            Event event = readEvent(in);
            var violation = limits.sizeViolation(event);
            if (violation.isPresent()) {
                refusals.add(violation.get() + " (event " + event.idHex() + ")");
            } else {
                events.add(event);
            }
        }
        return Collections.unmodifiableList(events);
    }

    private static List<Np2pReq> readReqs(MsgpackReader in) throws IOException {
        String what = PACKET + ".Reqs";
        if (in.tryNil(what)) {
            return null;
        }
        int count = in.arrayHeader(what);
        List<Np2pReq> reqs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.tryNil(what)) {
                throw new CodecException(what + "[" + i + "]: nil request");
            }
            reqs.add(readReq(in));
        }
        return Collections.unmodifiableList(reqs);
    }

    private static Event readEvent(MsgpackReader in) throws IOException {
        byte[] id = null;
        byte[] pubkey = null;
        long createdAt = 0;
        int kind = 0;
        List<List<String>> tags = List.of();
        String content = "";
        byte[] sig = null;
        int entries = in.mapHeader(EVENT);
        for (int i = 0; i < entries; i++) {
            String key = in.string(EVENT + " key");
            switch (key) {
                case "Id" -> id = in.bytes(EVENT + ".Id", 32);
                case "Pubkey" -> pubkey = in.bytes(EVENT + ".Pubkey", 32);
                case "Created_at" -> createdAt = readSeconds(in);
                case "Kind" -> kind = (int) in.integer(EVENT + ".Kind", 0, 0xffff);
                case "Tags" -> tags = readTags(in);
                case "Content" -> content = in.tryNil(EVENT + ".Content") ? "" : in.string(EVENT + ".Content");
                case "Sig" -> sig = in.tryNil(EVENT + ".Sig") ? null : in.bytes(EVENT + ".Sig", 64);
                default -> in.skip(EVENT + "." + key);
            }
        }
        if (id == null) {
            throw new CodecException(EVENT + ": missing Id");
        }
        if (pubkey == null) {
            throw new CodecException(EVENT + ": missing Pubkey");
        }
        return new Event(id, pubkey, createdAt, kind, tags, content, sig);
    }

    private static long readSeconds(MsgpackReader in) throws IOException {
        double seconds = in.number(EVENT + ".Created_at");
        if (!(Math.abs(seconds) <= MAX_SAFE_SECONDS)) {
            throw new CodecException(EVENT + ".Created_at: expected seconds since the epoch, got " + seconds);
        }
        // Go converts float64 seconds to an integer by truncation too.
        return (long) seconds;
    }

    private static List<List<String>> readTags(MsgpackReader in) throws IOException {
        String what = EVENT + ".Tags";
        if (in.tryNil(what)) {
            return List.of();
        }
        int count = in.arrayHeader(what);
        if (count > EventJson.MAX_TAGS) {
            throw new CodecException(what + ": " + count + " tags, more than the limit of " + EventJson.MAX_TAGS);
        }
        List<List<String>> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.tryNil(what)) {
                tags.add(List.of());
                continue;
            }
            int elements = in.arrayHeader(what);
            if (elements > EventJson.MAX_TAG_ELEMENTS) {
                throw new CodecException(what + ": tag " + i + " has " + elements + " elements, more than the limit of "
                        + EventJson.MAX_TAG_ELEMENTS);
            }
            if (elements == 0) {
                tags.add(List.of());
                continue;
            }
            String[] tag = new String[elements];
            for (int j = 0; j < elements; j++) {
                tag[j] = in.tryNil(what) ? "" : in.string(what);
            }
            tags.add(List.of(tag));
        }
        return tags;
    }

    private static Np2pReq readReq(MsgpackReader in) throws IOException {
        long id = 0;
        int kind = 0;
        Map<String, List<Object>> args = null;
        int entries = in.mapHeader(REQ);
        for (int i = 0; i < entries; i++) {
            String key = in.string(REQ + " key");
            switch (key) {
                case "Id" -> id = in.integerBits(REQ + ".Id");
                case "Kind" -> kind = (int) in.integer(REQ + ".Kind", 0, 0xffff);
                case "Args" -> args = readArgs(in);
                default -> in.skip(REQ + "." + key);
            }
        }
        return new Np2pReq(id, kind, args);
    }

    private static Map<String, List<Object>> readArgs(MsgpackReader in) throws IOException {
        String what = REQ + ".Args";
        if (in.tryNil(what)) {
            return null;
        }
        int entries = in.mapHeader(what);
        Map<String, List<Object>> args = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = in.string(what + " key");
            String valueWhat = what + "[" + key + "]";
            if (in.tryNil(valueWhat)) {
                args.put(key, List.of());
                continue;
            }
            int count = in.arrayHeader(valueWhat);
            List<Object> values = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                values.add(readArgValue(in, valueWhat));
            }
            args.put(key, Collections.unmodifiableList(values));
        }
        return Collections.unmodifiableMap(args);
    }

    private static Object readArgValue(MsgpackReader in, String what) throws IOException {
        ValueType type = in.nextType(what);
        return switch (type) {
            case NIL -> {
                in.tryNil(what);
                yield null;
            }
            case BOOLEAN -> in.bool(what);
            case INTEGER -> in.integerBits(what);
            case FLOAT -> in.number(what);
            case STRING -> in.string(what);
            case BINARY -> in.bytes(what);
            default -> throw new CodecException(what + ": unsupported value type, " + MsgpackReader.describe(type)
                    + " (expected bin, str, integer, float, boolean or nil)");
        };
    }
}
