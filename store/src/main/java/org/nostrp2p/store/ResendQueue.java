package org.nostrp2p.store;

import java.time.Instant;
import java.util.List;

/**
 * Unicasts (replies, mentions, likes) that found no route to their destination, waiting
 * to be sent again. Persistent: entries survive restarts. Each destination backs off on
 * its own: 5 min × 2^attempt, given up after about 3.5 days.
 */
public interface ResendQueue {

    /**
     * One event waiting for one destination.
     *
     * @param destination the destination user's public key, 64 hex characters
     * @param eventId     the 32-byte id of the stored event to send
     * @param attempt     how many sends have failed so far
     * @param nextDue     when to try again
     */
    record Entry(String destination, byte[] eventId, int attempt, Instant nextDue) {
    }

    /**
     * Queues an event for a destination (no-op if already queued), first due after the base delay.
     *
     * @param destination public key hex of the destination user
     * @param eventId     the event's id
     * @param now         the current time
     */
    void enqueue(String destination, byte[] eventId, Instant now);

    /**
     * @param now the current time
     * @param max at most this many
     * @return entries due at {@code now}, the oldest due first
     */
    List<Entry> due(Instant now, int max);

    /**
     * The entries waiting for any destination whose public key ends with {@code keySuffixHex},
     * whenever they are due: a NostrP2P server's peer name is the last 6 bytes of its user's
     * key, so a server that is heard from again can be sent what waits for it at once.
     *
     * @param keySuffixHex lowercase hex digits, at most 64
     * @param max          at most this many
     * @return those entries, the oldest due first
     */
    List<Entry> waitingFor(String keySuffixHex, int max);

    /** Removes an entry that was delivered. */
    void delivered(String destination, byte[] eventId);

    /**
     * Records a failed attempt: the entry backs off, or is dropped once it has waited
     * about 3.5 days in all.
     *
     * @return true when the entry was dropped
     */
    boolean failed(String destination, byte[] eventId, Instant now);

    /** @return the number of entries waiting */
    long size();
}
