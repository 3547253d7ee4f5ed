package org.nostrp2p.overlay;

import java.net.InetSocketAddress;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Routes;
import org.nostrp2p.overlay.topology.Topology;

/**
 * What the {@link ConnectionMaker} needs of its router (mesh's {@code connectionMaker} holds
 * {@code ourself} and a port, not the router): who this peer is and where it listens, how many
 * links discovery aims for, the topology it learns addresses from, and a way to dial one. Any
 * thread; {@link #dial} must not block.
 */
interface Dialer {

    /**
     * Starts connecting to {@code address} ({@code ip:port}); an attempt that fails is reported
     * back with {@link ConnectionMaker#connectionAborted}.
     *
     * @param acceptNewPeer whether a peer this one has not heard of yet may answer there
     * @param optional      a discovered peer this peer does not need (it has links already),
     *                      which may refuse
     */
    void dial(String address, boolean acceptNewPeer, boolean optional);

    /** @return this peer's name */
    PeerName name();

    /** @return the port this peer listens on (the real one once started) */
    int port();

    /** @return where this peer listens, null before it started */
    InetSocketAddress listenAddress();

    /** @return how many connections make discovery stop dialling; 0 for every discovered peer */
    int targetDegree();

    /** @return the topology as this peer knows it now */
    Topology topology();

    /** @return the routes of {@link #topology()} (by default computed from it) */
    default Routes routes() {
        return Routes.of(topology());
    }

    /** @return how many peers of {@link #topology()} this peer cannot reach over any link (by default from {@link #routes()}) */
    default int unreachableCount() {
        Routes routes = routes();
        return routes.topology().peers().size() - routes.unicastAllTable().size();
    }
}
