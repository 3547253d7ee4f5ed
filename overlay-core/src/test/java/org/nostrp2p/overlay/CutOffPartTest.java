package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With a degree bound, a part of the overlay whose peers all have their links would never
 * dial the rest: a peer that learns of peers it cannot reach (from a full seed that passes it
 * on) dials one of them whatever its degree.
 */
class CutOffPartTest {

    private static Router.Builder degreeOne(String nickName) {
        return Router.builder().listen("127.0.0.1", 0).nickName(nickName).targetDegree(1);
    }

    @Test
    void aPartWhosePeersHaveTheirLinksJoinsTheRestThroughWhatAFullSeedTellsIt() throws Exception {
        try (JavaPeer seed = JavaPeer.start(degreeOne("seed"));
             JavaPeer a1 = JavaPeer.start(degreeOne("a1"));
             JavaPeer a2 = JavaPeer.start(degreeOne("a2"));
             JavaPeer b1 = JavaPeer.start(degreeOne("b1"));
             JavaPeer b2 = JavaPeer.start(degreeOne("b2"))) {
            // the seed takes two links (twice its degree of 1): from then on it passes Java diallers on
            a1.connect(seed);
            a2.connect(seed);
            await().atMost(Duration.ofSeconds(20)).until(() -> seed.router.connectionCount() == 2
                    && a1.knowsAndReaches(a2.name()) && a2.knowsAndReaches(a1.name()));
            // b1 and b2: a part of their own, each at its degree of 1
            b2.connect(b1);
            await().atMost(Duration.ofSeconds(20)).until(() -> b1.knowsAndReaches(b2.name()));

            b1.connect(seed); // full: b1 is told of seed, a1, a2 and not linked

            await().atMost(Duration.ofSeconds(20)).until(() -> b1.knowsAndReaches(a1.name())
                    && b1.knowsAndReaches(seed.name()) && b2.knowsAndReaches(a2.name()) && a1.knowsAndReaches(b2.name()));
        }
    }

    @Test
    void aPartUnderItsDegreeBridgesToAPartNamedBelowIt() throws Exception {
        java.util.List<JavaPeer> all = new java.util.ArrayList<>();
        try {
            // the seed's part: the seed and six peers, named low; the seed with six links, twice
            // its degree of 3, so it passes Java diallers on
            JavaPeer seed = start(all, 0x01, "seed");
            for (int i = 1; i <= 6; i++) {
                start(all, 0x01 + i, "b" + i).connect(seed);
            }
            java.util.List<JavaPeer> part = java.util.List.copyOf(all);
            await().atMost(Duration.ofSeconds(30)).until(() -> seed.router.connectionCount() == 6
                    && part.stream().allMatch(p -> part.stream().allMatch(q -> p == q || p.knowsAndReaches(q.name()))));
            // the other part: three peers named above them all, linked in a triangle, two links each
            JavaPeer a1 = start(all, 0xa1, "a1");
            JavaPeer a2 = start(all, 0xa2, "a2");
            JavaPeer a3 = start(all, 0xa3, "a3");
            a2.connect(a1);
            a3.connect(a1);
            a3.connect(a2);
            await().atMost(Duration.ofSeconds(20)).until(() -> a1.knowsAndReaches(a3.name()) && a2.knowsAndReaches(a3.name()));

            a1.connect(seed); // full: a1 is told of the seed's part and not linked

            // a1 has two links, under its degree of 3: with two links, discovery dials only peers
            // named above it, and none is
            await().atMost(Duration.ofSeconds(30)).until(() -> part.stream().allMatch(b ->
                    a1.knowsAndReaches(b.name()) && a3.knowsAndReaches(b.name()) && b.knowsAndReaches(a2.name())));
        } finally {
            all.forEach(JavaPeer::close);
        }
    }

    private static JavaPeer start(java.util.List<JavaPeer> all, long name, String nickName) {
        JavaPeer peer = JavaPeer.start(Router.builder().name(new org.nostrp2p.overlay.name.PeerName(0x0f0000000000L + name))
                .listen("127.0.0.1", 0).nickName(nickName).targetDegree(3));
        all.add(peer);
        return peer;
    }
}
