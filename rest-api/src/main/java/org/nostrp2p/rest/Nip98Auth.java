package org.nostrp2p.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.CodecException;
import org.nostrp2p.model.codec.EventJson;

/**
 * Checks a NIP-98 {@code Authorization: Nostr <base64 event>} header: a kind-27235 event
 * signed by the server's user, created within {@link #MAX_SKEW_SECONDS} of now, whose
 * {@code u} tag names the requested URL and whose {@code method} tag the request's method.
 * The {@code u} tag's path and query must equal the request's and its host the request's
 * {@code Host}; its scheme is not compared, so a TLS-terminating proxy in front works.
 */
final class Nip98Auth {

    /** NIP-98's HTTP Auth event kind. */
    static final int KIND_HTTP_AUTH = 27235;
    /** How far {@code created_at} may be from the server's clock, either way. */
    static final long MAX_SKEW_SECONDS = 60;
    /** The longest header read; a NIP-98 event is a few hundred bytes. */
    static final int MAX_HEADER_CHARS = 8 * 1024;

    /** Why a header was refused: the HTTP status (401 or 403) and a reason to show. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    private final String ownerHex;
    private final Clock clock;

    Nip98Auth(String ownerHex, Clock clock) {
        this.ownerHex = ownerHex;
        this.clock = clock;
    }

    /**
     * @param header      the {@code Authorization} header, or null
     * @param method      the request's method, e.g. {@code GET}
     * @param host        the request's {@code Host} header, or null
     * @param pathAndQuery the request's path with {@code ?query} when there is one
     * @throws Refused when the header does not prove the owner sent this request just now
     */
    void check(String header, String method, String host, String pathAndQuery) throws Refused {
        if (header == null || header.isBlank()) {
            throw new Refused(401, "this endpoint needs an 'Authorization: Nostr <base64 NIP-98 event>' header "
                    + "signed by the server's user");
        }
        if (header.length() > MAX_HEADER_CHARS) {
            throw new Refused(401, "the Authorization header is longer than " + MAX_HEADER_CHARS + " characters");
        }
        String trimmed = header.trim();
        if (!trimmed.regionMatches(true, 0, "Nostr ", 0, 6)) {
            throw new Refused(401, "the Authorization scheme must be 'Nostr' (NIP-98)");
        }
        Event event;
        try {
            String json = new String(Base64.getDecoder().decode(trimmed.substring(6).trim()), StandardCharsets.UTF_8);
            event = EventJson.parse(json);
        } catch (IllegalArgumentException | CodecException e) {
            throw new Refused(401, "the Authorization header is not a base64 NIP-01 event: " + e.getMessage());
        }
        if (event.kind() != KIND_HTTP_AUTH) {
            throw new Refused(401, "the Authorization event must be of kind " + KIND_HTTP_AUTH + ", not " + event.kind());
        }
        if (!Arrays.equals(event.id(), Events.computeId(event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content()))
                || event.sig() == null || !Events.verify(event)) {
            throw new Refused(401, "the Authorization event's id or signature is invalid");
        }
        if (!event.pubkeyHex().equals(ownerHex)) {
            throw new Refused(403, "only this server's own user (public key " + ownerHex + ") may read this; "
                    + "the Authorization event is signed by " + event.pubkeyHex());
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - event.createdAt());
        if (skew > MAX_SKEW_SECONDS) {
            throw new Refused(403, "the Authorization event was created " + skew + " s from the server's time; "
                    + "at most " + MAX_SKEW_SECONDS + " s are accepted (is a clock wrong?)");
        }
        String signedMethod = tag(event.tags(), "method");
        if (signedMethod == null || !signedMethod.equalsIgnoreCase(method)) {
            throw new Refused(401, "the Authorization event's method tag must be " + method + ", not " + signedMethod);
        }
        String url = tag(event.tags(), "u");
        if (url == null || !sameTarget(url, host, pathAndQuery)) {
            throw new Refused(401, "the Authorization event's u tag must be this request's URL (…" + pathAndQuery + "), not " + url);
        }
    }

    private static boolean sameTarget(String url, String host, String pathAndQuery) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getRawAuthority() == null) {
            return false;
        }
        String signed = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return signed.equals(pathAndQuery)
                && (host == null || uri.getRawAuthority().toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT)));
    }

    private static String tag(List<List<String>> tags, String name) {
        for (List<String> tag : tags) {
            if (tag.size() >= 2 && tag.get(0).equals(name)) {
                return tag.get(1);
            }
        }
        return null;
    }
}
