package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Topology;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.slf4j.LoggerFactory;

/**
 * Beyond mesh, which dials every peer it discovers (a full mesh, capped only by the connection
 * limit): which discovered peers a router may dial, where they listen, and in which order the
 * {@link ConnectionMaker} tries them, the least connected first. It reads only the topology
 * and this peer's links; the connection maker keeps the targets, the bound on dials and the
 * retries. Confined to the connection maker's actor (the address cache is not thread-safe).
 */
final class Discovery {

    /**
     * A peer only named in others' connection lists (a placeholder, UID 0: its own entry has not
     * come) ranks as this, after every peer whose entry shows room; it may be gone, and a full
     * peer that passed this one on named it only to carry the address of a peer it handed on
     * (see {@link PassOn}).
     */
    static final int UNKNOWN_DEGREE = Integer.MAX_VALUE / 2;
    /** Addresses remembered as each direction's summaries show them (bounds a topology of invented ones). */
    static final int MAX_CACHED_ADDRESSES = 8_192;

    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LoggerFactory.getLogger(ConnectionMaker.class));

    /** A peer that may be dialled, where, how many links its entry shows, and a random tie-break. */
    record Candidate(PeerName name, String address, int degree, int tieBreak) {
    }

    private final IntSupplier ownPort;
    /** Addresses in topology gossip that were not {@code ip:port}, skipped. */
    final AtomicLong malformedAddresses = new AtomicLong();
    // What address() worked out, by the address a summary shows: "" for malformed.
    private final Map<String, String> outboundAddresses = new HashMap<>();
    private final Map<String, String> inboundAddresses = new HashMap<>();

    /** @param ownPort the port this peer listens on, which mesh guesses another peer's inbound remote listens on too */
    Discovery(IntSupplier ownPort) {
        this.ownPort = ownPort;
    }

    /**
     * The peers a peer with {@code busy} links and attempts may dial, told apart by their entries
     * alone: not this one, not linked to it (either way), named above it once it has a couple
     * of links (so two peers never dial each other at once), and, once it has two, below
     * {@code degree} themselves with an entry of their own (the ranking stops at the first peer
     * at the bound, where those without an entry rank). A peer below the bound whose candidates
     * are all at theirs (most, once an overlay has formed) then skips the scan of every link.
     */
    static Set<PeerName> dialable(Topology topology, PeerName self, Set<PeerName> ourConnectedPeers, int busy,
                                  int degree) {
        Set<PeerName> out = new HashSet<>();
        for (Topology.PeerView peer : topology.peers().values()) {
            PeerName name = peer.summary().name();
            if (name.equals(self) || ourConnectedPeers.contains(name) || peer.connections().containsKey(self)) {
                continue;
            }
            if (busy >= ConnectionMaker.MIN_LINKS_BEFORE_OPTIONAL && name.compareTo(self) < 0) {
                continue;
            }
            if (degree > 0 && busy >= 2 && rankingDegree(peer) >= degree) {
                continue;
            }
            out.add(name);
        }
        return out;
    }

    /**
     * Every peer named in another's links, with the address that link shows for it: those in
     * {@code dialable}, or, when it is null (looking for a bridge), every peer but this one and
     * those it is linked to. A peer whose address is malformed is left out.
     */
    Map<PeerName, String> candidates(Topology topology, PeerName self, Set<PeerName> ourConnectedPeers,
                                     Set<PeerName> dialable) {
        Map<PeerName, String> candidates = new HashMap<>();
        for (Topology.PeerView peer : topology.peers().values()) {
            if (peer.summary().name().equals(self)) {
                continue;
            }
            for (ConnectionSummary c : peer.connections().values()) {
                PeerName remote = c.name();
                if (dialable != null ? !dialable.contains(remote) : remote.equals(self) || ourConnectedPeers.contains(remote)) {
                    continue;
                }
                if (candidates.containsKey(remote)) {
                    continue;
                }
                String address = address(c);
                if (address != null) {
                    candidates.put(remote, address);
                }
            }
        }
        return candidates;
    }

    /**
     * The candidates a peer with {@code busy} links and attempts dials, least connected first,
     * ties at random: not those whose entry already shows a link to this peer (they dialled
     * it), nor, once it has a couple of links, those named below it.
     */
    static List<Candidate> rank(Map<PeerName, String> candidates, Topology topology, PeerName self, int busy) {
        List<Candidate> ranked = new ArrayList<>(candidates.size());
        for (Map.Entry<PeerName, String> e : candidates.entrySet()) {
            Topology.PeerView view = topology.peer(e.getKey());
            if (view != null && view.connections().containsKey(self)) {
                continue;
            }
            if (busy >= ConnectionMaker.MIN_LINKS_BEFORE_OPTIONAL && e.getKey().compareTo(self) < 0) {
                continue;
            }
            ranked.add(new Candidate(e.getKey(), e.getValue(), rankingDegree(view), ThreadLocalRandom.current().nextInt()));
        }
        ranked.sort(Comparator.comparingInt(Candidate::degree).thenComparingInt(Candidate::tieBreak));
        return ranked;
    }

    /** @return the degree a candidate is ranked by: its links, or {@link #UNKNOWN_DEGREE} without an entry */
    static int rankingDegree(Topology.PeerView view) {
        return view == null || view.summary().uid() == 0 ? UNKNOWN_DEGREE : view.connections().size();
    }

    /**
     * @return the address another peer's connection shows for its remote: a dialled address
     *     (or a Java peer's listening address) as is; an inbound connection's remote IP with our
     *     port, as mesh guesses. Null when the address is malformed (counted once while
     *     remembered, never thrown).
     */
    String address(ConnectionSummary c) {
        // every scan reads every link of every peer, and nearly all are the same as last time
        Map<String, String> cache = c.outbound() ? outboundAddresses : inboundAddresses;
        String raw = c.remoteTcpAddr();
        String known = raw == null ? null : cache.get(raw);
        if (known != null) {
            return known.isEmpty() ? null : known;
        }
        String address = workOutAddress(c);
        if (raw != null) {
            if (cache.size() >= MAX_CACHED_ADDRESSES) {
                cache.clear();
            }
            cache.put(raw, address == null ? "" : address);
        }
        return address;
    }

    private String workOutAddress(ConnectionSummary c) {
        PeerAddress parsed = PeerAddress.parseOrNull(c.remoteTcpAddr());
        String address = parsed == null ? null
                : c.outbound() ? parsed.toString() : PeerAddress.join(parsed.host(), ownPort.getAsInt());
        if (address == null || !PeerAddresses.isDialable(address)) {
            malformedAddresses.incrementAndGet();
            RATE_LIMITED.info("malformed-address", "skipped a malformed address in topology gossip: \"{}\" (peer {})",
                    c.remoteTcpAddr() == null ? null : c.remoteTcpAddr().substring(0, Math.min(64, c.remoteTcpAddr().length())),
                    c.name());
            return null;
        }
        return address;
    }
}
