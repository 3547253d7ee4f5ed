package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JavaClusterTest {
    private final List<JavaPeer> peers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        peers.forEach(JavaPeer::close);
    }

    private JavaPeer peer(int i, boolean discovery) {
        JavaPeer p = JavaPeer.start(String.format("00:00:00:00:01:%02x", i), "java" + i, discovery);
        peers.add(p);
        return p;
    }

    private boolean converged() {
        for (JavaPeer a : peers) {
            for (JavaPeer b : peers) {
                if (a != b && !a.knowsAndReaches(b.name())) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void fivePeersJoinedInAChainConvergeSoEveryPeerHasARouteToEveryOther() {
        for (int i = 0; i < 5; i++) {
            JavaPeer p = peer(i, true);
            if (i > 0) {
                p.connect(peers.get(i - 1));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(this::converged);
    }
}
