package org.nostrp2p.model.codec;

import java.util.List;
import java.util.Map;
import org.nostrp2p.model.EventKind;

/**
 * A request between NostrP2P servers (Go {@code Np2pReq}): kind 0 profile, 3 follow list,
 * 1 one post ({@code Args {"evtId": [id]}}), 40000 recent events (catch-up).
 *
 * @param id   random, de-duplicates broadcasts; written as uint64
 * @param kind the request kind
 * @param args the arguments, or {@code null} (written as nil); values are {@code byte[]},
 *             {@code String}, {@code Long}, {@code Double}, {@code Boolean} or {@code null}
 */
public record Np2pReq(long id, int kind, Map<String, List<Object>> args) {
    /** Request kind: the server user's newest profile. */
    public static final int KIND_PROFILE = 0; // EventKind.PROFILE's number: a request names the kind it asks for
    /** Request kind: one post, {@code Args {"evtId": [32-byte id]}}. */
    public static final int KIND_POST = 1;
    /** Request kind: the server user's newest follow list. */
    public static final int KIND_FOLLOW_LIST = 3; // EventKind.FOLLOW_LIST's number
    /** Request kind: recent events from every server (broadcast). */
    public static final int KIND_RECENT_EVENTS = EventKind.RECENT_EVENTS;
}
