package org.nostrp2p.overlay.topology;

import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.PeerSummary;

/**
 * A peer as {@link Peers} stores it (mesh {@code Peer}): its summary fields, its connections
 * and how many local connections refer to it. Mutable, confined to the thread that owns the
 * {@link Peers}. Internal to overlay-core.
 */
public final class Peer {
    final PeerName name;
    String nickName;
    long uid;
    long version;
    int shortId;
    boolean hasShortId;
    Map<PeerName, ConnectionSummary> connections = LinkMap.EMPTY;
    int localRefCount;
    /** Changed since the owning {@link Peers} took its last snapshot (it is in that one's list). */
    boolean dirty;
    /** Reachable from the owning peer over the links each peer reports (see {@link Peers#reachable}). */
    boolean reached;
    /** While {@link #reached}: how many links from the owning peer (the fewest), which {@link Peers} keeps exact. */
    int depth;
    /** No longer stored by the owning {@link Peers} (collected): links to it resolve afresh. */
    boolean removed;
    /** Its number in the owning {@link Peers}' last numbering (see {@link NameIndex}); -1 until it has one. */
    int index = -1;
    // The stored peers this one's connections name, resolved once for the walks that follow
    // them (see Peers#links); null after its connections change. Partial when some name had
    // no stored peer, then resolved again once the number of stored peers changes.
    Peer[] links;
    boolean linksPartial;
    int linksResolvedAtSize;
    // The immutable view last handed to a snapshot; dropped on every change. Connection maps
    // are replaced, never changed in place, so a view can share them.
    private Topology.PeerView view;

    Peer(PeerSummary summary) {
        this.name = summary.name();
        this.nickName = summary.nickName();
        this.uid = summary.uid();
        this.version = summary.version();
        this.shortId = summary.shortId();
        this.hasShortId = summary.hasShortId();
    }

    static Peer placeholder(PeerName name) {
        return new Peer(new PeerSummary(name, "", 0, 0, 0, false));
    }

    /** @return the peer's name */
    public PeerName name() {
        return name;
    }

    /** @return the peer's UID, 0 for a placeholder */
    public long uid() {
        return uid;
    }

    /** @return the peer's version */
    public long version() {
        return version;
    }

    /** Marks the peer changed, so the next snapshot describes it afresh. */
    void changed() {
        view = null;
    }

    Topology.PeerView view() {
        if (view == null) {
            view = new Topology.PeerView(summary(), connections);
        }
        return view;
    }

    /** @return the peer's summary as topology gossip carries it */
    public PeerSummary summary() {
        return new PeerSummary(name, nickName, uid, version, shortId, hasShortId);
    }

    @Override
    public String toString() {
        return name + "(" + nickName + ")";
    }
}
