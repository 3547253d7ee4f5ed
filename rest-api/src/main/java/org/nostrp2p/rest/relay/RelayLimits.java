package org.nostrp2p.rest.relay;

/**
 * What one WebSocket connection to the NIP-01 relay endpoint may use. Beyond a limit the relay
 * answers {@code CLOSED}, {@code OK false} or {@code NOTICE} with the reason, or closes that
 * connection (never another one).
 */
public final class RelayLimits {

    /** The largest message a client may send, in bytes; a larger one closes the connection (1009). */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Open subscriptions per connection; one more gets {@code CLOSED} until the client closes one. */
    public static final int MAX_SUBSCRIPTIONS = 20;
    /** Filters in one {@code REQ}. */
    public static final int MAX_FILTERS = 10;
    /** The longest subscription id, in characters (NIP-01 suggests 64). */
    public static final int MAX_SUBSCRIPTION_ID_CHARS = 64;
    /** Stored events answered for one {@code REQ} at most, whatever its {@code limit} says. */
    public static final int MAX_LIMIT = 500;
    /** {@code EVENT}s a connection may send per second on average... */
    public static final int EVENTS_PER_SECOND = 10;
    /** ...and in one burst. */
    public static final int EVENT_BURST = 20;
    /**
     * Bytes queued for a client that reads slower than events come; beyond, it is disconnected.
     * Room for a full answer of {@link #MAX_LIMIT} events of about 16 KiB each.
     */
    public static final long MAX_QUEUED_BYTES = 8 * 1024 * 1024;
    /** Messages read from a client and not yet handled; beyond, it is disconnected. */
    public static final int MAX_PENDING_MESSAGES = 100;
    /** Live events held for a subscription while its stored events are looked up. */
    public static final int MAX_HELD_LIVE_EVENTS = 1000;

    private RelayLimits() {
    }
}
