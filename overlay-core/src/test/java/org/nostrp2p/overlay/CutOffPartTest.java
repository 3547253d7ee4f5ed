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
}
