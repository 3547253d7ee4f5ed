package org.nostrp2p.overlay.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One frame after the intro, as {@link ProtocolMessageDecoder} reads it (mesh's
 * {@code LocalConnection.handleProtocolMsg} switches on the same tags): the first frame is the
 * remote peer's {@link Features}; every later one is a tag byte and a body. Immutable values;
 * a {@link Gossip}'s payload array is handed over, not shared with the decoder.
 */
public sealed interface ProtocolMessage {

    /**
     * The first frame: the remote peer's feature map (a gob {@code map[string]string}).
     *
     * @param features names to values, in wire order; unmodifiable
     */
    record Features(Map<String, String> features) implements ProtocolMessage {
        public Features {
            features = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(features, "features")));
        }
    }

    /** Tag 0: the remote peer is alive; it carries nothing. */
    record Heartbeat() implements ProtocolMessage {
    }

    /**
     * Tags 4, 5 and 6: a gossip, unicast or broadcast message for a gossip channel.
     *
     * @param tag     {@link ProtocolTag#GOSSIP}, {@link ProtocolTag#GOSSIP_UNICAST} or
     *                {@link ProtocolTag#GOSSIP_BROADCAST}
     * @param payload the frame without its tag byte; the receiver's to keep (a copy of the frame)
     */
    record Gossip(ProtocolTag tag, byte[] payload) implements ProtocolMessage {
        public Gossip {
            Objects.requireNonNull(payload, "payload");
            if (tag != ProtocolTag.GOSSIP && tag != ProtocolTag.GOSSIP_UNICAST && tag != ProtocolTag.GOSSIP_BROADCAST) {
                throw new IllegalArgumentException("not a gossip tag: " + tag);
            }
        }
    }

    /**
     * A tag mesh defines that carries nothing for this peer (1–3, the fast-datapath ones, and
     * 7, overlay control): Go peers ignore them too.
     *
     * @param tag the tag; never a heartbeat or gossip tag
     */
    record Reserved(ProtocolTag tag) implements ProtocolMessage {
        public Reserved {
            Objects.requireNonNull(tag, "tag");
        }
    }

    /**
     * A tag mesh does not define (8–255); ignored, as Go peers ignore it.
     *
     * @param code the tag byte, 8..255
     */
    record Unknown(int code) implements ProtocolMessage {
    }

    /** An empty frame after the features: mesh ignores blank messages. */
    record Blank() implements ProtocolMessage {
    }
}
