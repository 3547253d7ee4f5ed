package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Mesh's tree broadcast where two relays' views differ, on real routers: a square a-b, a-c,
 * b-d, c-d, whose link b-d goes while c has not heard of it yet (c's router actor is held
 * busy, so its routing state stays as it was). For a broadcast from a, b's view says d now
 * hangs off c, c's view says d hangs off b (the lower name): neither sends it to d. With
 * {@link BroadcastRepair} c, which did not send it to d, announces it there and d asks c.
 */
class BroadcastRepairClusterTest {

    private static final Duration CONVERGENCE = Duration.ofSeconds(20);
    private final List<JavaPeer> peers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        peers.forEach(JavaPeer::close);
    }

    @Test
    void withRepairThePeerBothRelaysLeaveToTheOtherGetsTheBroadcastOnce() throws Exception {
        Square square = square(true);

        square.a.broadcast("around the square");

        await().atMost(Duration.ofSeconds(10)).until(() -> square.d.gossiper.count("broadcast", "around the square") == 1);
        assertEquals(1, square.d.router.status().counters().broadcastsRepaired(), "d had it from c's announcement");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                square.b.gossiper.count("broadcast", "around the square") == 1
                        && square.c.gossiper.count("broadcast", "around the square") == 1
                        && square.d.gossiper.count("broadcast", "around the square") == 1);
    }

    @Test
    void withoutRepairThePeerBothRelaysLeaveToTheOtherMissesTheBroadcast() throws Exception {
        Square square = square(false);

        square.a.broadcast("around the square");

        // what mesh does: b and c have it, d never does (until some later news or gossip)
        await().atMost(Duration.ofSeconds(10)).until(() -> square.b.gossiper.count("broadcast", "around the square") == 1
                && square.c.gossiper.count("broadcast", "around the square") == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> square.d.gossiper.count("broadcast", "around the square") == 0);
    }

    private record Square(JavaPeer a, JavaPeer b, JavaPeer c, JavaPeer d) {
    }

    // The square converged, then c's actor held and the link b-d gone at b.
    private Square square(boolean repair) throws InterruptedException {
        JavaPeer a = peer(1, repair);
        JavaPeer b = peer(2, repair);
        JavaPeer c = peer(3, repair);
        JavaPeer d = peer(4, repair);
        b.connect(a);
        c.connect(a);
        b.connect(d);
        c.connect(d);
        await().atMost(CONVERGENCE).until(() -> peers.stream().allMatch(p -> p.router.status().connections().size() == 2)
                && JavaPeer.converged(peers) && JavaPeer.viewsAgree(peers));

        CountDownLatch held = new CountDownLatch(1);
        c.router.localPeer.execute(() -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        held.await();
        b.router.localPeer.state().connections().get(d.name()).fail("the test takes the link b-d away");
        await().atMost(CONVERGENCE).until(() -> !b.router.localPeer.state().connections().containsKey(d.name())
                && !d.router.localPeer.state().connections().containsKey(b.name()));
        return new Square(a, b, c, d);
    }

    private JavaPeer peer(int i, boolean repair) {
        // discovery off and mesh's full degree: the square keeps the links it was given
        JavaPeer peer = JavaPeer.start(Router.builder().name(new PeerName(0x0c0000000000L + i)).nickName("p" + i)
                .listen("127.0.0.1", 0).peerDiscovery(false).targetDegree(0).broadcastRepair(repair).ioThreads(1));
        peers.add(peer);
        return peer;
    }
}
