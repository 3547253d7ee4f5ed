package org.nostrp2p.overlay;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Routes;
import org.nostrp2p.overlay.topology.Topology;
import org.nostrp2p.overlay.wire.ProtocolIntroHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a {@link RouterStatus} (mesh {@code NewStatus}, status.go) from the router's
 * published routing state, its connection maker and its counters. Any thread; waits up to
 * 2 s for each of the connection maker's answers.
 */
final class StatusReport {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReport.class);

    private final PeerName name;
    private final String nickName;
    private final boolean encryption;
    private final boolean peerDiscovery;
    private final List<String> trustedSubnets;
    private final LocalPeer localPeer;
    private final ConnectionMaker connectionMaker;
    private final RouterCounters counters;

    StatusReport(PeerName name, String nickName, boolean encryption, boolean peerDiscovery, List<String> trustedSubnets,
                 LocalPeer localPeer, ConnectionMaker connectionMaker, RouterCounters counters) {
        this.name = name;
        this.nickName = nickName;
        this.encryption = encryption;
        this.peerDiscovery = peerDiscovery;
        this.trustedSubnets = List.copyOf(trustedSubnets);
        this.localPeer = localPeer;
        this.connectionMaker = connectionMaker;
        this.counters = counters;
    }

    /**
     * @param listenAddress where the router listens, null before it started
     * @param stopped       whether the router stopped (its connection maker then answers nothing)
     * @return the snapshot now
     */
    RouterStatus of(InetSocketAddress listenAddress, boolean stopped) {
        RoutingState state = localPeer.state();
        Routes routes = state.routes();
        Topology topology = routes.topology();
        List<RouterStatus.PeerStatus> peers = new ArrayList<>();
        for (Topology.PeerView view : topology.peers().values()) {
            var s = view.summary();
            peers.add(new RouterStatus.PeerStatus(s.name(), s.nickName(), s.uid(), s.shortId(), s.version(),
                    view.connections().values().stream()
                            .map(c -> new RouterStatus.PeerLink(c.name(), c.remoteTcpAddr(), c.outbound(), c.established()))
                            .toList()));
        }
        peers.sort((a, b) -> a.name().compareTo(b.name()));
        List<RouterStatus.ConnectionStatus> connections = new ArrayList<>();
        for (Connection c : state.connections().values()) {
            connections.add(new RouterStatus.ConnectionStatus(c.remoteTcpAddr, c.remoteName(), c.remote().nickName(),
                    c.outbound, c.established(), c.framesSent.sum(), c.bytesSent.sum(), c.framesReceived(),
                    c.bytesReceived()));
        }
        Map<PeerName, PeerName> unicast = new LinkedHashMap<>();
        routes.unicastTable().forEach((destination, hop) -> {
            if (!destination.equals(name)) {
                unicast.put(destination, hop);
            }
        });
        Map<PeerName, List<PeerName>> broadcast = Map.of(name, routes.broadcast(name));
        List<RouterStatus.TargetStatus> targets = List.of();
        int terminations = -1;
        if (!stopped) {
            try {
                targets = connectionMaker.targets().get(2, TimeUnit.SECONDS);
                terminations = connectionMaker.terminationCount().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("connection maker status: {}", e.toString());
            }
        }
        var self = topology.peer(name).summary();
        return new RouterStatus(name, nickName, localPeer.uid(), self.version(), ProtocolIntroHandler.MAX_VERSION, encryption,
                peerDiscovery, listenAddress, peers, connections, unicast, broadcast, targets, terminations,
                trustedSubnets, counters.snapshot(), localPeer.collidingNames());
    }
}
