package org.nostrp2p.overlay.topology;

import java.util.List;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Test access to overlay-core's own {@link RouteMap} for the simulator: one snapshot turned
 * into arrays once, then the broadcast hops of any peer for any source, exactly as a router
 * computes them ({@link Routes#broadcastAll}), without building a {@link Routes} per peer.
 */
public final class SimRouteMap {

    private final RouteMap map;

    /** @param topology a snapshot; its {@code self} does not matter for broadcast hops */
    public SimRouteMap(Topology topology) {
        this.map = RouteMap.of(topology);
    }

    /** @return the neighbours {@code self} forwards a broadcast from {@code source} to, over any link */
    public List<PeerName> broadcastHops(PeerName source, PeerName self) {
        return map.broadcastHops(source, self, false);
    }

    /** @return how many peers {@code start} reaches over any link, itself included */
    public int reachable(PeerName start) {
        return map.walk(start, null, false).routes().size();
    }
}
