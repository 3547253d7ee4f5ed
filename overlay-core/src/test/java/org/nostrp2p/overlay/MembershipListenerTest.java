package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/** Membership events as an embedder hears them, from real routers on loopback. */
class MembershipListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Router> routers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        routers.forEach(Router::stop);
    }

    private Router start(long name, Router seed) {
        Router router = Router.builder().name(new PeerName(name)).nickName("m" + Long.toHexString(name & 0xff))
                .listen("127.0.0.1", 0).ioThreads(1).build();
        router.start();
        if (seed != null) {
            router.connect(List.of("127.0.0.1:" + seed.port()));
        }
        routers.add(router);
        return router;
    }

    /** Records every event as a line, and the threads they came on. */
    static final class Recorder implements MembershipListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        private void note(String event) {
            events.add(event);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void peerJoined(PeerName peer, String nickName) {
            note("joined " + peer + " " + nickName);
        }

        @Override
        public void peerLeft(PeerName peer) {
            note("left " + peer);
        }

        @Override
        public void connectionUp(PeerName peer, String address, boolean outbound) {
            note("up " + peer);
        }

        @Override
        public void connectionDown(PeerName peer, String address, String reason) {
            note("down " + peer);
        }

        @Override
        public void nameCollision(PeerName name, long uid, long otherUid) {
            note("collision " + name);
        }
    }

    @Test
    void aListenerHearsPeersJoinAndLeaveAndItsConnectionsComeAndGoOnOneThread() {
        Router a = start(0x0a0000000001L, null);
        Recorder recorder = new Recorder();
        a.addMembershipListener(recorder);
        Router b = start(0x0a0000000002L, a);
        Router c = start(0x0a0000000003L, b);

        await().atMost(WAIT).until(() -> recorder.events.contains("joined " + b.name() + " m2")
                && recorder.events.contains("joined " + c.name() + " m3")
                && recorder.events.contains("up " + b.name()));

        c.stop();

        await().atMost(WAIT).until(() -> recorder.events.contains("left " + c.name()));
        assertTrue(recorder.events.indexOf("joined " + c.name() + " m3") < recorder.events.indexOf("left " + c.name()));
        assertEquals(1, recorder.threads.stream().distinct().count(), "one delivery thread: " + recorder.threads);
    }

    @Test
    void twoLivePeersWithOneNameAreANameCollisionForThePeersThatSeeBoth() {
        Router hub = start(0x0a0000000010L, null);
        Recorder atHub = new Recorder();
        hub.addMembershipListener(atHub);
        Router first = start(0x0a0000000011L, hub);
        await().atMost(WAIT).until(() -> hub.reachablePeerCount() == 1);

        start(0x0a0000000011L, hub); // a second process with the same identity

        await().atMost(WAIT).until(() -> atHub.events.contains("collision " + first.name()));
        assertTrue(hub.status().collidingNames().contains(first.name()));
    }

    @Test
    void aPeerRestartedUnderItsNameIsNotACollision() {
        Router hub = start(0x0a0000000020L, null);
        Recorder atHub = new Recorder();
        hub.addMembershipListener(atHub);
        Router before = start(0x0a0000000021L, hub);
        await().atMost(WAIT).until(() -> hub.reachablePeerCount() == 1);
        long oldUid = hub.status().peer(before.name()).orElseThrow().uid();

        before.stop();
        Router after = start(0x0a0000000021L, hub);

        await().atMost(WAIT).until(() -> hub.status().peer(after.name()).map(p -> p.uid() != oldUid && p.uid() != 0)
                .orElse(false) && hub.reachablePeerCount() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                hub.status().collidingNames().isEmpty() && atHub.events.stream().noneMatch(e -> e.startsWith("collision")));
    }
}
