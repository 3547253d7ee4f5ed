package org.nostrp2p.model;

import java.util.List;
import java.util.Optional;

/**
 * What an event may be to be accepted from the network or a client: bounded like a public
 * relay's events (strfry's defaults are the reference: 64 KiB per event, 2,000 tags, tag
 * values of 1 KiB) and dated sanely (not more than 15 minutes ahead, within what MessagePack's
 * float64 {@code Created_at} carries exactly). A microblog post fits many times over; an
 * event that does not is refused with the reason, before it is verified, stored or relayed.
 *
 * <p>Immutable and thread-safe; {@link #DEFAULT} holds the defaults.
 *
 * @param maxEventBytes   the largest event, in bytes of its MessagePack encoding (or of its
 *                        content and tags, as {@link #sizeOf} estimates it)
 * @param maxTags         the most tags
 * @param maxTagElements  the most strings in one tag
 * @param maxTagValueBytes the longest string in a tag, in UTF-8 bytes
 * @param maxFutureSeconds how far ahead of the receiver's clock {@code created_at} may be
 */
public record EventLimits(int maxEventBytes, int maxTags, int maxTagElements, int maxTagValueBytes,
                          long maxFutureSeconds) {

    /** 64 KiB per event, as strfry's {@code maxEventSize}. */
    public static final int MAX_EVENT_BYTES = 64 * 1024;
    /** 2,000 tags, as strfry's {@code maxNumTags}. */
    public static final int MAX_TAGS = 2000;
    /** Strings per tag: NIP-01 tags use 2 to 4; a few more for future tags. */
    public static final int MAX_TAG_ELEMENTS = 16;
    /** 1 KiB per tag string, as strfry's {@code maxTagValSize}. */
    public static final int MAX_TAG_VALUE_BYTES = 1024;
    /** An event dated more than 15 minutes ahead is refused (clocks drift; spam post-dates). */
    public static final long MAX_FUTURE_SECONDS = 15 * 60;
    /**
     * The first {@code created_at} refused whatever the clock: 2^53, from which a float64 (the
     * Go server's {@code Created_at} on the wire) no longer holds every integer, so the event
     * would no longer match its id after one hop.
     */
    public static final long FIRST_UNSAFE_SECONDS = 1L << 53;

    /** The default limits. */
    public static final EventLimits DEFAULT = new EventLimits(MAX_EVENT_BYTES, MAX_TAGS, MAX_TAG_ELEMENTS,
            MAX_TAG_VALUE_BYTES, MAX_FUTURE_SECONDS);

    /** A fixed allowance for id, pubkey, sig, time, kind and MessagePack keys (about 190 bytes). */
    private static final int FIXED_FIELD_BYTES = 256;

    public EventLimits {
        if (maxEventBytes < 1024 || maxTags < 1 || maxTagElements < 2 || maxTagValueBytes < 64 || maxFutureSeconds < 0) {
            throw new IllegalArgumentException("limits too small to hold any ordinary event");
        }
    }

    /**
     * Why {@code event} is too large, or empty when it is within the limits.
     *
     * @param event the event
     * @return the reason, in words an operator or a client user understands
     */
    public Optional<String> sizeViolation(Event event) {
        List<List<String>> tags = event.tags();
        if (tags.size() > maxTags) {
            return Optional.of("the event has " + tags.size() + " tags, more than the " + maxTags + " accepted");
        }
        for (List<String> tag : tags) {
            if (tag.size() > maxTagElements) {
                return Optional.of("a tag has " + tag.size() + " strings, more than the " + maxTagElements + " accepted");
            }
            for (String value : tag) {
                // A char is at most 3 UTF-8 bytes: only long strings need counting.
                if (value.length() * 3 > maxTagValueBytes && utf8Length(value) > maxTagValueBytes) {
                    return Optional.of("a tag value has " + utf8Length(value) + " bytes, more than the "
                            + maxTagValueBytes + " accepted");
                }
            }
        }
        long size = sizeOf(event);
        if (size > maxEventBytes) {
            return Optional.of("the event has about " + size + " bytes, more than the " + maxEventBytes + " accepted");
        }
        return Optional.empty();
    }

    /**
     * Why {@code event}'s {@code created_at} is refused, or empty when it is sane.
     *
     * @param event      the event
     * @param nowSeconds the receiver's clock, seconds since the epoch
     * @return the reason
     */
    public Optional<String> timeViolation(Event event, long nowSeconds) {
        long createdAt = event.createdAt();
        if (createdAt < 0 || createdAt >= FIRST_UNSAFE_SECONDS) {
            return Optional.of("created_at " + createdAt + " is outside 0 to 2^53-1 (MessagePack's float64 would not carry it exactly)");
        }
        if (createdAt > nowSeconds + maxFutureSeconds) {
            return Optional.of("created_at " + createdAt + " is " + (createdAt - nowSeconds)
                    + " s ahead of this server's clock; at most " + maxFutureSeconds + " s are accepted");
        }
        return Optional.empty();
    }

    /** @return the first of {@link #sizeViolation} and {@link #timeViolation}, or empty */
    public Optional<String> violation(Event event, long nowSeconds) {
        Optional<String> size = sizeViolation(event);
        return size.isPresent() ? size : timeViolation(event, nowSeconds);
    }

    /**
     * An upper estimate of an event's MessagePack size: its content's and tag strings' UTF-8
     * bytes, a few header bytes per string and tag, and the fixed fields.
     */
    public static long sizeOf(Event event) {
        long size = FIXED_FIELD_BYTES + utf8Length(event.content()) + 5;
        for (List<String> tag : event.tags()) {
            size += 5;
            for (String value : tag) {
                size += utf8Length(value) + 5;
            }
        }
        return size;
    }

    private static long utf8Length(String text) {
        // Most text is ASCII: count without encoding.
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
