package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/** Flood suite, issue 12: connection slots held by connections that do nothing useful. */
@Tag("flood")
class SlotFloodTest {

    @Test
    void fiftySilentConnectsASecondDoNotKeepAnHonestPeerFromJoining() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server"));
             LogCapture log = new LogCapture()) {
            List<Socket> silent = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread flood = new Thread(() -> {
                try {
                    for (int i = 0; i < 500 && !Thread.currentThread().isInterrupted(); i++) {
                        silent.add(new Socket("127.0.0.1", server.router.port()));
                        Thread.sleep(20);
                    }
                } catch (IOException | InterruptedException e) {
                    // stopped
                }
            });
            flood.setDaemon(true);
            flood.start();
            try {
                // 300 silent connections made: mesh would have a backlog of 140 to accept at 10/s
                await().atMost(Duration.ofSeconds(30)).until(() -> silent.size() >= 300);
                try (JavaPeer honest = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("honest"))) {
                    honest.connect(server);
                    await().atMost(Duration.ofSeconds(10)).until(() -> server.knowsAndReaches(honest.name()));
                }
                // and the silent ones were closed, not kept, and counted
                Socket first = silent.get(0);
                first.setSoTimeout(10_000);
                assertTrue(readsEndOfStreamOrReset(first), "the first silent connection is still held");
                RouterStatus.Counters counters = server.router.status().counters();
                assertTrue(counters.handshakesEvicted() + counters.handshakesTimedOut() >= 100,
                        counters.handshakesEvicted() + " evicted and " + counters.handshakesTimedOut()
                                + " timed out of 300 silent connections");
                // hundreds of connections closed, a few lines of log
                int lines = log.linesContaining(server.router.name().toString()).size()
                        + log.linesContaining("handshake").size();
                assertTrue(lines < 40, lines + " lines of log");
            } finally {
                flood.interrupt();
                for (Socket s : new ArrayList<>(silent)) {
                    s.close();
                }
            }
        }
    }

    @Test
    void pastEightHandshakesFromOneAddressTheOldestIsClosedLongBeforeTheDeadline() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server")
                .loopbackExemptFromAddressRule(false))) {
            List<Socket> silent = openSilently(server, SlotGuard.MAX_HANDSHAKING_PER_ADDRESS + 1);
            try {
                silent.get(0).setSoTimeout((int) SlotGuard.HANDSHAKE_DEADLINE_MILLIS / 2);
                assertTrue(readsEndOfStreamOrReset(silent.get(0)), "the oldest of nine was not closed within half the deadline");
                assertEquals(1, server.router.status().counters().handshakesEvicted(), "evictions counted");
                assertEquals(0, server.router.status().counters().handshakesTimedOut(), "timeouts counted");
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
        }
    }

    @Test
    void loopbackHandshakesAreNotBoundPerAddressSoPeersOnOneHostCanJoinOneSeedTogether() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server"))) {
            List<Socket> silent = openSilently(server, SlotGuard.MAX_HANDSHAKING_PER_ADDRESS + 1);
            try {
                silent.get(0).setSoTimeout((int) SlotGuard.HANDSHAKE_DEADLINE_MILLIS / 2);
                assertFalse(readsEndOfStreamOrReset(silent.get(0)), "the oldest of nine loopback handshakes was closed early");
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
        }
    }

    // Connects n times and waits until the server has accepted each one (its protocol header came).
    private static List<Socket> openSilently(JavaPeer server, int n) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket("127.0.0.1", server.router.port());
            sockets.add(s);
            s.setSoTimeout(10_000);
            s.getInputStream().readNBytes(7); // the server's header: accepted, in its handshake now
        }
        return sockets;
    }

    @Test
    void theLastQuarterOfTheConnectionLimitIsKeptForPeersThisPeerKnew() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server").connLimit(8))) {
            PeerName knownName = PeerName.parse("02:00:00:00:0a:01");
            try (JavaPeer known = JavaPeer.start(Router.builder().name(knownName).listen("127.0.0.1", 0).nickName("known"))) {
                known.connect(server);
                await().atMost(Duration.ofSeconds(10)).until(() -> server.router.connectionCount() == 1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.router.connectionCount() == 0);

            List<HostilePeer> hoard = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) { // up to the reserved quarter
                    hoard.add(HostilePeer.join(server.router.port(), HostilePeer.inventedName(0x77, i)));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.router.connectionCount() == 6);
                try (HostilePeer seventh = HostilePeer.join(server.router.port(), HostilePeer.inventedName(0x77, 6))) {
                    assertTrue(seventh.raw.closedByRemote(10_000), "a new name took a reserved slot");
                }
                try (JavaPeer known = JavaPeer.start(Router.builder().name(knownName).listen("127.0.0.1", 0).nickName("known"))) {
                    known.connect(server);
                    await().atMost(Duration.ofSeconds(10)).until(() -> server.router.status().connections().stream()
                            .anyMatch(c -> knownName.equals(c.name())));
                }
            } finally {
                for (HostilePeer h : hoard) {
                    h.close();
                }
            }
        }
    }

    @Test
    void pastHalfTheConnectionLimitAnAddressHoldingSeveralGetsNoMore() throws Exception {
        try (JavaPeer server = JavaPeer.start(Router.builder().listen("127.0.0.1", 0).nickName("server").connLimit(16)
                .loopbackExemptFromAddressRule(false))) {
            List<HostilePeer> hoard = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) { // half the limit, all from 127.0.0.1
                    hoard.add(HostilePeer.join(server.router.port(), HostilePeer.inventedName(0x78, i)));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.router.connectionCount() == 8);
                try (HostilePeer ninth = HostilePeer.join(server.router.port(), HostilePeer.inventedName(0x78, 8))) {
                    assertTrue(ninth.raw.closedByRemote(10_000), "a ninth connection from one address was registered");
                }
            } finally {
                for (HostilePeer h : hoard) {
                    h.close();
                }
            }
        }
    }

    private static boolean readsEndOfStreamOrReset(Socket socket) {
        try {
            while (true) {
                if (socket.getInputStream().read() < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
