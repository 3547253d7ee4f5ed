package org.nostrp2p.rest.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.model.crypto.SecretKey;

/**
 * NIP-98 HTTP authentication: a kind 27235 event signed by the user, naming the absolute URL
 * and the method, sent as {@code Authorization: Nostr <base64 of the event's JSON>}. The owner's
 * client proves with it that it holds the owner's key (the server's {@code GET /status}).
 */
public final class Nip98 {

    /** The kind of a NIP-98 authorization event. */
    public static final int KIND_HTTP_AUTH = 27235;
    /** The scheme of the {@code Authorization} header. */
    public static final String SCHEME = "Nostr";

    private Nip98() {
    }

    /**
     * @param key       the user's secret key
     * @param url       the absolute URL requested, exactly as sent
     * @param method    the HTTP method, e.g. {@code GET}
     * @param createdAt the event's time in seconds (now)
     * @return the value of the {@code Authorization} header
     */
    public static String authorization(SecretKey key, String url, String method, long createdAt) {
        Event event = Events.sign(key, createdAt, KIND_HTTP_AUTH, List.of(List.of("u", url), List.of("method", method)), "");
        return SCHEME + " " + Base64.getEncoder().encodeToString(EventJson.write(event).getBytes(StandardCharsets.UTF_8));
    }
}
