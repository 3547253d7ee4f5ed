package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;
import org.nostrp2p.overlay.wire.GossipFrame;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.PeerUpdate;
import org.nostrp2p.overlay.wire.ProtocolTag;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * What {@link TopologyNews} believes a neighbour has, when the neighbour shows it no longer has
 * it: a neighbour collects peers it can no longer reach, and may then learn another entry under
 * the same name (a restarted peer's new incarnation) that mesh's order ranks below the one this
 * peer sent it. A router, a hand-driven neighbour, and a third peer X known only through it.
 */
class TopologyNewsTest {

    private static final PeerName X = HostilePeer.inventedName(0x0e, 1);
    // X's two incarnations at one version: mesh's order keeps the higher UID
    private static final long OLD_UID = 0x7000_0000_0000_0001L;
    private static final long NEW_UID = 0x1000_0000_0000_0001L;
    private static final long VERSION = 2;

    @Test
    void aNeighbourThatSendsAnIncarnationRankedBelowTheOneItWasToldIsToldItAgain() throws Exception {
        try (JavaPeer router = quietRouter(); HostilePeer neighbour = HostilePeer.join(router.router.port(), HostilePeer.inventedName(0x0e, 2))) {
            givenTheRouterRecordsThatTheNeighbourHasXsOldIncarnation(router, neighbour);

            // the neighbour collected X, then heard of X restarted: same version, lower UID
            neighbour.sendTopology(List.of(x(NEW_UID, neighbour)));

            assertTrue(toldX(neighbour, OLD_UID), "the router did not send back the entry that supersedes the neighbour's,"
                    + " so the restarted X never learns it must move its version beyond its old incarnation's");
        }
    }

    @Test
    void aJavaNeighboursDigestShowingAnOlderVersionThanRecordedGetsTheNewerOne() throws Exception {
        try (JavaPeer router = quietRouter();
             HostilePeer neighbour = HostilePeer.joinAsJava(router.router.port(), HostilePeer.inventedName(0x0e, 3))) {
            givenTheRouterRecordsThatTheNeighbourHasXsOldIncarnation(router, neighbour);

            // the safety net: the neighbour lost X and learnt an older version of it from a stale peer
            neighbour.gossip(ProtocolTag.GOSSIP, TopologyDigest.CHANNEL, TopologyDigest.digest(List.of(
                    new TopologyDigest.Entry(neighbour.name, HostilePeer.UID, 1), new TopologyDigest.Entry(X, OLD_UID, VERSION - 1))));

            assertTrue(toldX(neighbour, OLD_UID), "the digest said the neighbour has an older version of X than the router"
                    + " recorded, and the router did not send its entry");
        }
    }

    // A router whose periodic topology gossip cannot run during a test (it would hide a wrong record).
    private static JavaPeer quietRouter() {
        return JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("router").peerDiscovery(false)
                .topologyGossipInterval(Duration.ofHours(1)));
    }

    // The neighbour describes itself linked to the router and to X (old incarnation); the router
    // then believes the neighbour has X's old incarnation, because the neighbour sent it.
    private static void givenTheRouterRecordsThatTheNeighbourHasXsOldIncarnation(JavaPeer router, HostilePeer neighbour)
            throws IOException {
        ConnectionSummary toRouter = new ConnectionSummary(router.name(), router.address(), true, true);
        ConnectionSummary toX = new ConnectionSummary(X, HostilePeer.closedAddresses(1).get(0), true, true);
        neighbour.sendTopology(List.of(
                new PeerUpdate(new PeerSummary(neighbour.name, "neighbour", HostilePeer.UID, 1, 7, true), List.of(toRouter, toX)),
                x(OLD_UID, neighbour)));
        await().atMost(Duration.ofSeconds(10)).until(() -> router.router.status().peer(X).map(p -> p.uid() == OLD_UID).orElse(false));
        // what the router sends on the new link (the whole topology, its own entry) is read and
        // dropped: it never names X, which the router did not know then
        while (nextTopology(neighbour, 300) != null) {
            // drain
        }
    }

    private static PeerUpdate x(long uid, HostilePeer neighbour) {
        return new PeerUpdate(new PeerSummary(X, "x", uid, VERSION, 9, true),
                List.of(new ConnectionSummary(neighbour.name, "127.0.0.1:9", false, true)));
    }

    // Whether the router sends X with this UID within 5 s.
    private static boolean toldX(HostilePeer neighbour, long uid) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            List<PeerUpdate> updates = nextTopology(neighbour, 200);
            if (updates != null && updates.stream().anyMatch(u -> u.peer().name().equals(X) && u.peer().uid() == uid)) {
                return true;
            }
        }
        return false;
    }

    // The next topology message within the timeout (other frames skipped), or null.
    private static List<PeerUpdate> nextTopology(HostilePeer neighbour, int timeoutMillis) throws IOException {
        neighbour.raw.socket.setSoTimeout(timeoutMillis);
        try {
            while (true) {
                byte[] frame = neighbour.raw.readFrame();
                if (frame.length == 0 || (frame[0] != ProtocolTag.GOSSIP.code() && frame[0] != ProtocolTag.GOSSIP_BROADCAST.code())) {
                    continue;
                }
                GossipFrame gossip = WireCodec.decodeGossip(java.util.Arrays.copyOfRange(frame, 1, frame.length));
                if (gossip.channel().equals(TopologyNews.CHANNEL)) {
                    return WireCodec.decodeTopology(gossip.data());
                }
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
