package org.nostrp2p.overlay.wire;

/**
 * The first byte of every frame after the handshake (mesh {@code protocolTag}).
 * Go ignores tags 0–3, 7 and unknown ones; so do we.
 */
public enum ProtocolTag {
    HEARTBEAT(0),
    CONN_ESTABLISHED(1),
    FRAGMENTATION_TEST(2),
    PMTU_VERIFIED(3),
    GOSSIP(4),
    GOSSIP_UNICAST(5),
    GOSSIP_BROADCAST(6),
    OVERLAY_CONTROL_MSG(7);

    private static final ProtocolTag[] BY_CODE = values();

    private final int code;

    ProtocolTag(int code) {
        this.code = code;
    }

    /** @return the byte on the wire */
    public int code() {
        return code;
    }

    /**
     * @param code a tag byte, 0..255
     * @return the tag, or {@code null} for a code mesh does not define
     */
    public static ProtocolTag fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
