package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Convergence must not wait for the periodic repair: with periodic topology gossip
 * effectively off (one hour), every piece of news reaches every neighbour that lacks it, so
 * every router ends with the same version of every peer's entry as the peer itself has.
 */
class ConvergenceWithoutPeriodicGossipTest {
    private static final int N = 20;

    private final List<Router> routers = new ArrayList<>();
    private SharedIo io;

    @AfterEach
    void stopAll() {
        routers.parallelStream().forEach(Router::stop);
        if (io != null) {
            io.close();
        }
    }

    @ParameterizedTest(name = "{0} join, degree {1}")
    @CsvSource({"star, 4", "star, 8", "chain, 4", "chain, 8"})
    void everyRouterEndsWithEveryPeersLatestEntryWithoutPeriodicGossip(String join, int degree) {
        io = SharedIo.create(2);
        for (int i = 0; i < N; i++) {
            Router router = Router.builder().name(new PeerName(0x0d0000000000L + i)).nickName("c" + i)
                    .listen("127.0.0.1", 0).targetDegree(degree).topologyGossipInterval(Duration.ofHours(1))
                    .sharedIo(io).build();
            router.start();
            if (i > 0) {
                int seed = join.equals("star") ? 0 : i - 1;
                router.connect(List.of("127.0.0.1:" + routers.get(seed).port()));
            }
            routers.add(router);
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(this::agreeOnEveryEntry);

        // links stay within a small multiple of the target (a burst of handshakes to one peer may
        // pass it before that peer says it is full); the unbounded discovery of old made ~N - 1
        for (Router r : routers) {
            assertTrue(r.connectionCount() <= 3 * degree, r.name() + " has " + r.connectionCount() + " connections");
            // the cheap count over any link agrees once the routes do
            assertEquals(N - 1, r.linkedPeerCount(), r.name() + " over any link");
        }
    }

    // Every router reaches every other, and holds every peer's entry at the version that peer has.
    private boolean agreeOnEveryEntry() {
        for (Router a : routers) {
            if (a.reachablePeerCount() != N - 1) {
                return false;
            }
            var topology = a.localPeer.state().routes().topology();
            for (Router b : routers) {
                var own = b.localPeer.state().routes().topology().peer(b.name()).summary();
                var seen = topology.peer(b.name());
                if (seen == null || seen.summary().uid() != own.uid() || seen.summary().version() != own.version()) {
                    return false;
                }
            }
        }
        return true;
    }
}
