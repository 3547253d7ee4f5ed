package org.nostrp2p.overlay.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.ProtocolException;
import org.nostrp2p.overlay.wire.TopologyEntry;

/**
 * Every peer this peer knows of (mesh {@code Peers}, peers.go): applies topology updates as
 * mesh does, keeps this peer's own entry, collects peers no longer reachable.
 *
 * <p>Not thread-safe: confined to the router's actor thread. Other threads read the
 * immutable {@link #snapshot()}.
 */
public final class Peers {

    /**
     * The most peers this peer keeps (mesh: no limit). An update that would pass it is
     * refused, so a peer cannot grow our memory without bound by inventing peers.
     */
    public static final int MAX_PEERS = 65_536;

    /** Mesh's {@code peerShortIDBits}. */
    public static final int SHORT_ID_BITS = 12;

    private final Peer ourself;
    private final Map<PeerName, Peer> byName = new HashMap<>();
    // The names in order and their peers as the last snapshot numbered them (each peer knows
    // its number, Peer#index); the next snapshot renumbers once a peer is added or removed
    // (namesChanged), merging the peers added since (added) into the names that stay.
    private NameIndex numbering = NameIndex.EMPTY;
    private Peer[] byIndex = new Peer[0];
    private final List<Peer> added = new ArrayList<>();
    private boolean namesChanged = true;
    private final RouteMap.Cache routeMaps = new RouteMap.Cache();
    // The last snapshot and the last routes handed out: asked again with no peer changed in
    // between (a collection after the publication it follows, a publication of nothing new),
    // the same objects, so nothing is copied or walked twice.
    private Topology lastSnapshot;
    private Routes lastRoutes;
    // The peers whose entries changed since the last snapshot, each once (Peer#dirty): a
    // snapshot copies the last one's views and replaces theirs, instead of asking every peer.
    private final List<Peer> dirty = new ArrayList<>();
    // The peers reachable from this one over the links each reports (what unicastAll routes
    // over and what garbageCollect keeps), marked on each Peer with its distance in links and
    // counted. Kept up to date as updates add links (distances only shrink), and as they take
    // links away that no shortest path needs; walked afresh only after an update took away a
    // link that may have been the only way to a peer at its distance. A walk per update cost a
    // sixth of a 500-peer join's CPU, and one per update that dropped a link still a sixth to
    // a third (links change all through a join: most updates drop one).
    private int reachedCount;
    private boolean reachStale = true;
    private final java.util.ArrayDeque<Peer> reachQueue = new java.util.ArrayDeque<>();
    private int reachabilityWalks;

    /**
     * @param ourself this peer's summary (its UID non-zero)
     */
    public Peers(PeerSummary ourself) {
        this.ourself = new Peer(ourself);
        this.ourself.localRefCount = 1;
        byName.put(ourself.name(), this.ourself);
        added.add(this.ourself);
    }

    /** @return this peer's own entry */
    public Peer ourself() {
        return ourself;
    }

    /** @return the peer called {@code name}, or null */
    public Peer fetch(PeerName name) {
        return byName.get(name);
    }

    /** @return the names of every known peer */
    public Set<PeerName> names() {
        return new LinkedHashSet<>(byName.keySet());
    }

    /** @return how many peers are known, this one included */
    public int size() {
        return byName.size();
    }

    /**
     * Mesh's {@code fetchWithDefault}: the stored peer of that name (its reference count
     * raised), or {@code remote} stored as a new peer.
     *
     * @return the stored peer
     */
    public Peer fetchWithDefault(PeerSummary remote) {
        Peer peer = byName.get(remote.name());
        if (peer == null) {
            peer = new Peer(remote);
            byName.put(peer.name, peer);
            added.add(peer);
            namesChanged = true;
        }
        peer.localRefCount++;
        return peer;
    }

    /** Drops one local reference to {@code name} (a local connection to it ended). */
    public void dereference(PeerName name) {
        Peer peer = byName.get(name);
        if (peer != null && peer.localRefCount > 0) {
            peer.localRefCount--;
        }
    }

    /** Replaces this peer's own connections (the live local connections) and bumps its version. */
    public void setOwnConnections(Map<PeerName, ConnectionSummary> connections) {
        ourself.version++;
        replaceConnections(ourself, LinkMap.of(connections.values()));
    }

    /**
     * Raises this peer's version beyond {@code version} (mesh {@code setVersionBeyond}).
     *
     * @return whether it changed
     */
    public boolean setVersionBeyond(long version) {
        if (Long.compareUnsigned(version, ourself.version) >= 0) {
            ourself.version = version + 1;
            touched(ourself);
            return true;
        }
        return false;
    }

    /**
     * What applying an update did.
     *
     * @param updateNames        the names of every peer the update described (mesh {@code origUpdate})
     * @param newUpdate          the peers that changed, to pass on
     * @param localPeerModified  whether this peer's own entry changed (its version or short id), so it must re-announce itself
     * @param removed            peers collected as unreachable
     * @param otherSelfUids      UIDs other than ours that the update gave this peer's own name
     */
    public record Applied(Set<PeerName> updateNames, Set<PeerName> newUpdate, boolean localPeerModified,
                          List<Peer> removed, Set<Long> otherSelfUids) {
    }

    /**
     * Applies a topology update as mesh's {@code applyUpdate} does: peers named only in
     * connection lists become placeholders; a summary replaces a stored one when its version
     * is higher, or equal with a higher UID, or both equal and it newly has a short id; this
     * peer seeing itself with another UID moves its version beyond the received one. Then
     * collects unreachable peers.
     *
     * @throws ProtocolException when the update would take the number of peers over {@link #MAX_PEERS}
     */
    public Applied applyUpdate(List<PeerUpdate> updates) {
        return applyUpdate(updates, true);
    }

    /**
     * Applies a topology update as {@link #applyUpdate(List)} does; with {@code collect} false
     * it does not collect unreachable peers (the caller runs {@link #garbageCollect()} itself,
     * once for a burst of updates, as mesh 2019 does).
     *
     * @throws ProtocolException when the update would take the number of peers over {@link #MAX_PEERS}
     */
    public Applied applyUpdate(List<PeerUpdate> updates, boolean collect) {
        Map<PeerName, Peer> newPeers = new LinkedHashMap<>();
        // each update's stored peer, looked up once for the three passes
        Peer[] stored = new Peer[updates.size()];
        for (int i = 0; i < stored.length; i++) {
            PeerName name = updates.get(i).peer().name();
            stored[i] = byName.get(name);
            if (stored[i] == null) {
                newPeers.put(name, new Peer(updates.get(i).peer()));
            }
        }
        Set<PeerName> fresh = new HashSet<>(newPeers.keySet());
        for (int i = 0; i < stored.length; i++) {
            PeerUpdate update = updates.get(i);
            Peer known = stored[i];
            if (known != null && (known == ourself || !replaces(update.peer(), known))) {
                // beyond mesh: an entry that is not applied names no placeholders. Its links
                // are not stored, so they would lead nowhere and be collected; most entries a
                // peer receives while an overlay forms are ones it has (three in five in a
                // 500-router join), and looking up each of their links was most of the work
                continue;
            }
            for (ConnectionSummary connection : update.connections()) {
                PeerName remote = connection.name();
                if (!byName.containsKey(remote) && !newPeers.containsKey(remote)) {
                    newPeers.put(remote, Peer.placeholder(remote));
                }
            }
        }
        if (byName.size() + newPeers.size() > MAX_PEERS) {
            throw new ProtocolException("a topology update would make " + (byName.size() + newPeers.size())
                    + " peers, over the limit of " + MAX_PEERS);
        }
        byName.putAll(newPeers);
        added.addAll(newPeers.values());
        namesChanged |= !newPeers.isEmpty();

        boolean localPeerModified = false;
        Set<Long> otherSelfUids = new LinkedHashSet<>();
        Set<PeerName> newUpdate = new LinkedHashSet<>();
        Set<PeerName> updateNames = new LinkedHashSet<>();
        for (int i = 0; i < stored.length; i++) {
            PeerUpdate update = updates.get(i);
            PeerSummary summary = update.peer();
            PeerName name = summary.name();
            updateNames.add(name);
            Peer peer = stored[i] != null ? stored[i] : newPeers.get(name);
            if (peer == ourself) {
                if (summary.uid() != ourself.uid) {
                    otherSelfUids.add(summary.uid());
                    localPeerModified |= setVersionBeyond(summary.version());
                }
                continue;
            }
            if (fresh.remove(name)) {
                replaceConnections(peer, LinkMap.of(update.connections()));
                newUpdate.add(name);
                continue;
            }
            if (!replaces(summary, peer)) {
                continue;
            }
            if (!update.connectionsRead()) {
                // read as one this peer had (has), and versions only grow: cannot happen
                throw new IllegalStateException("the entry of " + name + " replaces the stored one, but its"
                        + " connections were skipped unread");
            }
            peer.version = summary.version();
            peer.uid = summary.uid();
            peer.nickName = summary.nickName();
            peer.shortId = summary.shortId();
            peer.hasShortId = summary.hasShortId();
            replaceConnections(peer, LinkMap.of(update.connections()));
            newUpdate.add(name);
        }
        List<Peer> removed = collect ? garbageCollect() : List.of();
        for (Peer peer : removed) {
            newUpdate.remove(peer.name);
        }
        // only news can bring a clash: skip the scan of every peer unless some news claims our id
        boolean claimsOurId = false;
        for (PeerName name : newUpdate) {
            Peer peer = byName.get(name);
            claimsOurId |= peer != null && peer.hasShortId && peer.shortId == ourself.shortId;
        }
        if (claimsOurId && resolveShortIdClash()) {
            localPeerModified = true;
        }
        return new Applied(updateNames, newUpdate, localPeerModified, removed, otherSelfUids);
    }

    /**
     * @return whether applying an entry of another peer with this summary would change nothing
     *     here (see {@link #applyUpdate}): the stored entry is as new or newer. Such an entry's
     *     connection list need not be read ({@link org.nostrp2p.overlay.wire.PeerUpdate.KnownEntries}).
     *     False for this peer's own name: those entries are rare, and read whole a neighbour's
     *     budget charges their links as it always did.
     */
    public boolean has(PeerSummary summary) {
        Peer known = byName.get(summary.name());
        return known != null && known != ourself && !replaces(summary, known);
    }

    /**
     * Mesh's order of entries: whether an entry at ({@code uid}, {@code version}) is newer than
     * one at ({@code thanUid}, {@code thanVersion}): a higher version, or the same version and a
     * higher UID, both unsigned.
     */
    public static boolean newer(long uid, long version, long thanUid, long thanVersion) {
        int byVersion = Long.compareUnsigned(version, thanVersion);
        return byVersion > 0 || (byVersion == 0 && Long.compareUnsigned(uid, thanUid) > 0);
    }

    // Mesh's rule: a summary replaces a stored one when it is newer, or the same and it newly
    // has a short id.
    private static boolean replaces(PeerSummary summary, Peer peer) {
        return newer(summary.uid(), summary.version(), peer.uid, peer.version)
                || (summary.version() == peer.version && summary.uid() == peer.uid && summary.hasShortId() && !peer.hasShortId);
    }

    /**
     * Removes every peer that is neither reachable from this one (over any link) nor referred
     * to by a local connection (mesh {@code garbageCollect}).
     *
     * @return the peers removed
     */
    public List<Peer> garbageCollect() {
        if (reachableCount() == byName.size()) {
            return List.of();
        }
        List<Peer> removed = new ArrayList<>();
        for (Peer peer : List.copyOf(byName.values())) {
            if (!peer.reached && peer.localRefCount == 0) {
                byName.remove(peer.name);
                peer.removed = true;
                namesChanged = true;
                removed.add(peer);
            }
        }
        return removed;
    }

    /**
     * @return whether the peer called {@code name} is reachable from this one over the links
     *     each peer reports (mesh's {@code unicastAll} routes; this peer itself is)
     */
    public boolean reachable(PeerName name) {
        refreshReach();
        Peer peer = byName.get(name);
        return peer != null && peer.reached;
    }

    /** For tests: how many times reachability was walked afresh from this peer. */
    int reachabilityWalks() {
        return reachabilityWalks;
    }

    /** @return how many peers are {@linkplain #reachable reachable}, this one included */
    public int reachableCount() {
        refreshReach();
        return reachedCount;
    }

    // A peer's entry now lists these connections: the next snapshot describes it afresh, and
    // reachability follows. A reachable peer's new links reach further; a link gone may cut
    // peers off, which only a walk from this peer tells.
    private void replaceConnections(Peer peer, Map<PeerName, ConnectionSummary> connections) {
        Map<PeerName, ConnectionSummary> before = peer.connections;
        peer.connections = connections;
        peer.links = null;
        touched(peer);
        if (reachStale || !peer.reached) {
            return; // an unreached peer's links lead nowhere this peer can reach through them
        }
        for (PeerName remote : before.keySet()) {
            if (!connections.containsKey(remote) && !stillAsNear(byName.get(remote), peer)) {
                reachStale = true;
                return;
            }
        }
        for (Peer linked : links(peer)) {
            reach(linked, peer.depth + 1);
        }
        spreadReach();
    }

    // The link from {@code from} to {@code peer} is gone: whether every distance stays as it
    // was. It does when the link was on no shortest path (peer is no farther than from), or
    // when another peer one link nearer still links to peer (it is listed among peer's own
    // links, as both ends of a link list it). That peer's own shortest path cannot have run
    // through the link gone, which leads farther out, so every shortest path through the link
    // can turn there instead. When neither holds, only a walk tells.
    private boolean stillAsNear(Peer peer, Peer from) {
        if (peer == null || !peer.reached || peer.depth <= from.depth) {
            return true;
        }
        for (Peer parent : links(peer)) {
            if (parent != from && parent.reached && parent.depth == peer.depth - 1
                    && parent.connections.containsKey(peer.name)) {
                return true;
            }
        }
        return false;
    }

    // The stored peers peer's connections name: resolved by name once, not on every walk (a
    // walk of 500 peers was 3,500 map lookups, and joins walk after most updates).
    private Peer[] links(Peer peer) {
        Peer[] links = peer.links;
        if (links != null && !(peer.linksPartial && peer.linksResolvedAtSize != byName.size())) {
            boolean valid = true;
            for (Peer linked : links) {
                valid &= !linked.removed;
            }
            if (valid) {
                return links;
            }
        }
        links = new Peer[peer.connections.size()];
        int n = 0;
        for (PeerName remote : peer.connections.keySet()) {
            Peer linked = byName.get(remote);
            if (linked != null) {
                links[n++] = linked;
            }
        }
        peer.linksPartial = n < links.length;
        peer.linksResolvedAtSize = byName.size();
        peer.links = n < links.length ? Arrays.copyOf(links, n) : links;
        return peer.links;
    }

    // Reaches peer at depth links, or nearer than it was: it spreads from there (spreadReach).
    private void reach(Peer peer, int depth) {
        if (peer == null) {
            return;
        }
        if (!peer.reached) {
            peer.reached = true;
            reachedCount++;
        } else if (peer.depth <= depth) {
            return;
        }
        peer.depth = depth;
        reachQueue.add(peer);
    }

    private void spreadReach() {
        for (Peer peer; (peer = reachQueue.poll()) != null; ) {
            for (Peer linked : links(peer)) {
                reach(linked, peer.depth + 1);
            }
        }
    }

    private void refreshReach() {
        if (!reachStale) {
            return;
        }
        reachabilityWalks++;
        for (Peer peer : byName.values()) {
            peer.reached = false;
        }
        reachedCount = 0;
        reach(ourself, 0);
        spreadReach();
        reachStale = false;
    }

    // Mesh gives a short id to the peer with the smaller name when two claim the same one; if
    // this peer loses, it picks another free one and re-announces itself.
    private boolean resolveShortIdClash() {
        Set<Integer> taken = new HashSet<>();
        boolean clash = false;
        for (Peer peer : byName.values()) {
            if (peer == ourself || !peer.hasShortId) {
                continue;
            }
            taken.add(peer.shortId);
            if (peer.shortId == ourself.shortId && peer.name.compareTo(ourself.name) < 0) {
                clash = true;
            }
        }
        if (!clash || taken.size() >= (1 << SHORT_ID_BITS)) {
            return false;
        }
        int candidate;
        do {
            candidate = ThreadLocalRandom.current().nextInt(1 << SHORT_ID_BITS);
        } while (taken.contains(candidate));
        ourself.shortId = candidate;
        ourself.hasShortId = true;
        ourself.version++;
        touched(ourself);
        return true;
    }

    /**
     * @param names   the peers to describe
     * @param encoded entries encoded before, by name, which this adds to: a caller that sends
     *                several messages at once (one per group of neighbours) encodes each entry
     *                once; kept no longer, as every router holding every entry's bytes doubled
     *                what a 500-router benchmark JVM had to copy in each collection
     * @return the encoded entries of the named peers that are known, in the order named (mesh
     *     {@code encodePeers})
     */
    public List<TopologyEntry> entries(Collection<PeerName> names, Map<PeerName, TopologyEntry> encoded) {
        List<TopologyEntry> out = new ArrayList<>(names.size());
        for (PeerName name : names) {
            TopologyEntry entry = encoded.get(name);
            if (entry == null) {
                Peer peer = byName.get(name);
                if (peer == null) {
                    continue;
                }
                entry = TopologyEntry.of(peer.summary(), peer.connections.values());
                encoded.put(name, entry);
            }
            out.add(entry);
        }
        return out;
    }

    /**
     * @param onCompute called each time a route table is computed (a counter)
     * @return the routes of the current topology ({@link #snapshot()}), computed when first
     *     asked for, from the arrays of the previous snapshot where peers did not change; the
     *     same object as last time when no peer changed since
     */
    public Routes routes(Runnable onCompute) {
        Topology topology = snapshot();
        Routes last = lastRoutes;
        if (last != null && last.topology() == topology) {
            return last;
        }
        lastRoutes = Routes.of(topology, onCompute, routeMaps);
        return lastRoutes;
    }

    // A peer's entry changed: the next snapshot describes it afresh.
    private void touched(Peer peer) {
        peer.changed();
        if (!peer.dirty) {
            peer.dirty = true;
            dirty.add(peer);
        }
    }

    private void clearDirty() {
        for (Peer peer : dirty) {
            peer.dirty = false;
        }
        dirty.clear();
    }

    /** @return an immutable copy of the current topology; the same object as last time when no peer changed since */
    public Topology snapshot() {
        if (namesChanged) {
            renumber();
        }
        Topology.PeerView[] views;
        if (lastSnapshot != null) {
            // the same names: the last snapshot's views, with those of the peers changed since
            if (dirty.isEmpty()) {
                return lastSnapshot;
            }
            views = ((IndexedPeers) lastSnapshot.peers()).views.clone();
            for (Peer peer : dirty) {
                views[peer.index] = peer.view();
            }
        } else {
            views = new Topology.PeerView[byIndex.length];
            for (int i = 0; i < views.length; i++) {
                views[i] = byIndex[i].view();
            }
        }
        clearDirty();
        lastSnapshot = new Topology(ourself.name, new IndexedPeers(numbering, views));
        return lastSnapshot;
    }

    // Numbers the stored peers afresh in one pass: the peers that stay, in their order, with
    // those added since merged in (sorted among themselves first).
    private void renumber() {
        lastSnapshot = null;
        Peer[] before = byIndex;
        Peer[] incoming = added.stream().filter(peer -> !peer.removed).toArray(Peer[]::new);
        added.clear();
        Arrays.sort(incoming, Comparator.comparing((Peer peer) -> peer.name));
        Peer[] after = new Peer[byName.size()];
        int n = 0;
        int a = 0;
        for (Peer peer : before) {
            if (peer.removed) {
                continue;
            }
            while (a < incoming.length && incoming[a].name.compareTo(peer.name) < 0) {
                after[n++] = incoming[a++];
            }
            after[n++] = peer;
        }
        while (a < incoming.length) {
            after[n++] = incoming[a++];
        }
        if (n != after.length) {
            throw new IllegalStateException(n + " peers numbered, " + after.length + " stored");
        }
        PeerName[] names = new PeerName[n];
        for (int i = 0; i < n; i++) {
            after[i].index = i;
            names[i] = after[i].name;
        }
        numbering = NameIndex.ofSorted(names);
        byIndex = after;
        namesChanged = false;
    }
}
