package org.nostrp2p.overlay;

import java.util.concurrent.TimeUnit;

/**
 * Beyond mesh: what one neighbour may make this peer read and work on, per second, whatever
 * names it puts in what it sends (a relayed broadcast's source can be forged, so the
 * neighbour is what is charged). Three token buckets: frames, bytes, and topology entries
 * (a peer entry and each of its links, when the entry is new or newer than the one known).
 * Over a budget the connection is first not read for as long as the bucket needs to refill
 * (back-pressure: TCP slows the sender down). Over the frames or bytes budget, a neighbour
 * that would need a pause longer than {@link #MAX_PAUSE_NANOS}, or stays at the budget longer
 * than {@link #MAX_OVER_BUDGET_NANOS}, is disconnected and its name suspended (see
 * {@link Suspensions}). Over the topology budget it is only slowed (pauses of at most
 * {@link #MAX_PAUSE_NANOS}): an honest peer relays what a flooding one brought it at the rate it
 * admitted it, and must not be cut for that.
 * The defaults are far above what an honest peer sends (a 2,000-peer topology dump is about
 * 20,000 entries). Thread-safe.
 */
final class NeighbourBudget {

    /** Frames a second, sustained. */
    static final double FRAMES_PER_SECOND = 2_000;
    /** Frames in a burst. */
    static final double FRAMES_BURST = 20_000;
    /** Bytes a second, sustained. */
    static final double BYTES_PER_SECOND = 8.0 * 1024 * 1024;
    /** Bytes in a burst: three largest frames. */
    static final double BYTES_BURST = 32.0 * 1024 * 1024;
    /** Topology entries (peers and links) a second, sustained. */
    static final double TOPOLOGY_ENTRIES_PER_SECOND = 5_000;
    /** Topology entries in a burst. */
    static final double TOPOLOGY_ENTRIES_BURST = 50_000;
    /** The longest back-pressure pause; a neighbour needing more is disconnected. */
    static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * How long a neighbour may stay at its budget (never back above a tenth of each burst)
     * before it is disconnected: back-pressure slows a sender, this ends one that keeps pushing.
     */
    static final long MAX_OVER_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The most links one peer's topology entry may list (mesh's default connection limit is 64). */
    static final int MAX_LINKS_PER_PEER = 256;

    /**
     * @return the topology entries {@code updates} bring: each peer entry that is new or newer
     *     than {@code peers} has, and its links
     * @throws org.nostrp2p.overlay.wire.ProtocolException when an entry lists more than
     *     {@link #MAX_LINKS_PER_PEER} links
     */
    static long topologyEntries(java.util.List<org.nostrp2p.overlay.wire.PeerUpdate> updates,
                                org.nostrp2p.overlay.topology.Peers peers) {
        long entries = 0;
        for (org.nostrp2p.overlay.wire.PeerUpdate update : updates) {
            int links = update.connections().size();
            if (links > MAX_LINKS_PER_PEER) {
                throw new org.nostrp2p.overlay.wire.ProtocolException("a topology entry for " + update.peer().name()
                        + " lists " + links + " links, over the limit of " + MAX_LINKS_PER_PEER);
            }
            var known = peers.fetch(update.peer().name());
            if (known == null || Long.compareUnsigned(update.peer().version(), known.version()) > 0) {
                entries += 1 + links;
            }
        }
        return entries;
    }

    private static final class Bucket {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last;

        Bucket(double perSecond, double burst, long now) {
            this.perNano = perSecond / 1e9;
            this.burst = burst;
            this.tokens = burst;
            this.last = now;
        }

        boolean aboveTenth(long now) {
            return Math.min(burst, tokens + (now - last) * perNano) >= burst / 10;
        }

        // the nanoseconds until the bucket is back to zero (0: within budget)
        long charge(double cost, long now) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            tokens -= cost;
            return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
        }
    }

    private final Bucket frames;
    private final Bucket bytes;
    private final Bucket topology;
    private boolean over;
    private long overSince;

    NeighbourBudget() {
        this(FRAMES_PER_SECOND, BYTES_PER_SECOND);
    }

    /**
     * @param framesPerSecond frames a second, sustained (bursts of ten seconds' worth)
     * @param bytesPerSecond  bytes a second, sustained (bursts of four seconds' worth, at least
     *                        three largest frames)
     */
    NeighbourBudget(double framesPerSecond, double bytesPerSecond) {
        long now = System.nanoTime();
        frames = new Bucket(framesPerSecond, framesPerSecond * 10, now);
        bytes = new Bucket(bytesPerSecond, Math.max(bytesPerSecond * 4, BYTES_BURST), now);
        topology = new Bucket(TOPOLOGY_ENTRIES_PER_SECOND, TOPOLOGY_ENTRIES_BURST, now);
    }

    /** @return nanoseconds not to read this connection for (0: go on reading) */
    synchronized long chargeFrame(int frameBytes, long now) {
        return settle(Math.max(frames.charge(1, now), bytes.charge(frameBytes, now)), now);
    }

    /** @return nanoseconds not to read this connection for (0: go on reading) */
    synchronized long chargeTopology(long entries, long now) {
        return topology.charge(entries, now);
    }

    /** @return whether this neighbour has stayed at its budget for more than {@link #MAX_OVER_BUDGET_NANOS} */
    synchronized boolean persistentlyOver(long now) {
        return over && now - overSince > MAX_OVER_BUDGET_NANOS;
    }

    private long settle(long pause, long now) {
        if (pause > 0) {
            if (!over) {
                over = true;
                overSince = now;
            }
        } else if (over && frames.aboveTenth(now) && bytes.aboveTenth(now)) {
            over = false;
        }
        return pause;
    }
}
