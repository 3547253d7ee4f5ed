package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.overlay.interop.GoPeer;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Password-encrypted connections between Java peers and real Go weaveworks/mesh peers
 * (interop/meshpeer with {@code -password-file}): with the same password they connect both
 * ways, exchange topology and carry broadcasts and unicasts both ways; a Go peer with another
 * password, or none, is refused at both ends with the message that says why, logged once per
 * connection on the Java side.
 */
class GoEncryptedInteropTest {
    private static final Duration CONVERGENCE = Duration.ofSeconds(20);
    private static final Duration DELIVERY = Duration.ofSeconds(10);
    private static final String PASSWORD = "mesh secret";
    private static LogCapture log;

    @TempDir
    Path dir;

    private final List<JavaPeer> javaPeers = new ArrayList<>();
    private final List<GoPeer> goPeers = new ArrayList<>();

    @BeforeAll
    static void captureLog() {
        log = new LogCapture();
    }

    @AfterAll
    static void releaseLog() {
        log.close();
    }

    @AfterEach
    void stopAll() {
        javaPeers.forEach(JavaPeer::close);
        goPeers.forEach(GoPeer::close);
    }

    private JavaPeer java(int i, String password) {
        Router.Builder builder = Router.builder().name(PeerName.parse(String.format("0a:00:00:00:0e:%02x", i)))
                .nickName("java" + i).listen("127.0.0.1", 0).peerDiscovery(false);
        if (password != null) {
            builder.password(password.getBytes(StandardCharsets.UTF_8));
        }
        JavaPeer p = JavaPeer.start(builder);
        javaPeers.add(p);
        return p;
    }

    private GoPeer go(int i, String password, String... connectTo) throws IOException {
        return go(i, password, 64, connectTo);
    }

    private GoPeer go(int i, String password, int connLimit, String... connectTo) throws IOException {
        Path passwordFile = null;
        if (password != null) {
            // as an operator writes it: one line, with its newline
            passwordFile = Files.writeString(dir.resolve("go" + i + ".password"), password + "\n");
        }
        GoPeer p = GoPeer.start(String.format("02:00:00:00:0e:%02x", i), "go" + i, 0, List.of(connectTo),
                List.of(GoPeer.TEST_CHANNEL), connLimit, passwordFile);
        goPeers.add(p);
        return p;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean converged(JavaPeer j, GoPeer g) {
        GoPeer.Status status = g.status();
        GoPeer.PeerStatus javaAtGo = status.peer(j.name().toString());
        return j.knowsAndReaches(PeerName.parse(g.name())) && javaAtGo != null && javaAtGo.uid() != 0
                && status.hasRouteTo(j.name().toString());
    }

    private static long goCount(GoPeer peer, String type, String source, String text) {
        return peer.received().stream()
                .filter(r -> r.equals(new GoPeer.Received(type, GoPeer.TEST_CHANNEL, source, bytes(text)))).count();
    }

    private static void exchangeBothWays(JavaPeer j, GoPeer g) {
        j.broadcast("java broadcast, encrypted");
        assertTrue(j.unicast(PeerName.parse(g.name()), "java unicast, encrypted"));
        g.broadcast(GoPeer.TEST_CHANNEL, bytes("go broadcast, encrypted"));
        g.unicast(GoPeer.TEST_CHANNEL, j.name().toString(), bytes("go unicast, encrypted"));

        g.awaitReceived(r -> goCount(g, "broadcast", j.name().toString(), "java broadcast, encrypted") == 1
                && goCount(g, "unicast", j.name().toString(), "java unicast, encrypted") == 1, DELIVERY);
        await().atMost(DELIVERY).until(() -> j.gossiper.count("broadcast", "go broadcast, encrypted") == 1
                && j.gossiper.count("unicast", "go unicast, encrypted") == 1);
    }

    /** The Java side's lines containing {@code reason}, by connection: each connection must say it once. */
    private static Map<String, Long> javaLinesByConnection(String reason) {
        return log.linesContaining(reason).stream()
                .collect(Collectors.groupingBy(l -> l.substring(l.indexOf("->["), l.indexOf(']', l.indexOf("->["))),
                        Collectors.counting()));
    }

    private static void assertEachConnectionLoggedOnce(String reason) {
        await().atMost(CONVERGENCE).until(() -> !javaLinesByConnection(reason).isEmpty());
        Map<String, Long> byConnection = javaLinesByConnection(reason);
        assertTrue(byConnection.values().stream().allMatch(n -> n == 1), "one line per connection: " + byConnection);
    }

    @Test
    void aJavaPeerDialsAGoPeerWithTheSamePasswordAndTheyExchangeTopologyBroadcastsAndUnicasts() throws IOException {
        GoPeer g = go(1, PASSWORD);
        JavaPeer j = java(1, PASSWORD);
        j.router.connect(List.of(g.address()));

        await().atMost(CONVERGENCE).pollInterval(Duration.ofMillis(100)).until(() -> converged(j, g));
        assertEquals(List.of(j.name().toString()), g.status().establishedNeighbours());
        assertTrue(j.router.status().encryption());
        exchangeBothWays(j, g);
    }

    @Test
    void aGoPeerDialsAJavaPeerWithTheSamePasswordAndTheyExchangeTopologyBroadcastsAndUnicasts() throws IOException {
        JavaPeer j = java(1, PASSWORD);
        GoPeer g = go(1, PASSWORD, j.address());

        await().atMost(CONVERGENCE).pollInterval(Duration.ofMillis(100)).until(() -> converged(j, g));
        RouterStatus.ConnectionStatus connection = j.router.status().connections().get(0);
        assertTrue(!connection.outbound() && connection.established());
        exchangeBothWays(j, g);
    }

    @Test
    void aJavaPeerRelaysBetweenTwoGoPeersOfTheEncryptedMeshThatAreNotConnected() throws IOException {
        JavaPeer relay = java(1, PASSWORD);
        // connection limit 1: the Go peers cannot dial each other, all goes through the relay
        GoPeer a = go(1, PASSWORD, 1, relay.address());
        GoPeer c = go(2, PASSWORD, 1, relay.address());
        await().atMost(CONVERGENCE).pollInterval(Duration.ofMillis(100)).until(() -> converged(relay, a) && converged(relay, c)
                && a.status().hasRouteTo(c.name()) && c.status().hasRouteTo(a.name()));
        assertEquals(List.of(relay.name().toString()), a.status().establishedNeighbours());

        a.unicast(GoPeer.TEST_CHANNEL, c.name(), bytes("through java, sealed per hop"));
        c.broadcast(GoPeer.TEST_CHANNEL, bytes("to all through java, sealed per hop"));

        c.awaitReceived(r -> goCount(c, "unicast", a.name(), "through java, sealed per hop") == 1, DELIVERY);
        a.awaitReceived(r -> goCount(a, "broadcast", c.name(), "to all through java, sealed per hop") == 1, DELIVERY);
    }

    @Test
    void aGoPeerWithAnotherPasswordIsRefusedAtBothEnds() throws IOException {
        JavaPeer j = java(1, PASSWORD);
        GoPeer g = go(1, "not the mesh secret", j.address());

        assertEachConnectionLoggedOnce("the remote peer's first encrypted frame does not authenticate:"
                + " it uses a different mesh password");
        await().atMost(CONVERGENCE).until(() -> !g.logLinesContaining("Unable to decrypt TCP msg").isEmpty());
        assertFalse(j.knows(PeerName.parse(g.name())));
        assertFalse(g.status().knows(j.name().toString()));
    }

    @Test
    void aGoPeerWithoutAPasswordIsRefusedAtBothEnds() throws IOException {
        JavaPeer j = java(1, PASSWORD);
        GoPeer g = go(1, null, j.address());

        assertEachConnectionLoggedOnce("the remote peer has no password and asked for a plain connection;"
                + " this mesh is encrypted (password set): refused");
        await().atMost(CONVERGENCE).until(() ->
                !g.logLinesContaining("no password specificed, but peer requested an encrypted connection").isEmpty());
        assertFalse(j.knows(PeerName.parse(g.name())));
    }

    @Test
    void aJavaPeerWithoutAPasswordIsRefusedByAGoPeerWithOne() throws IOException {
        GoPeer g = go(1, PASSWORD);
        JavaPeer j = java(1, null);
        j.router.connect(List.of(g.address()));

        assertEachConnectionLoggedOnce("the remote peer asked for an encrypted connection (it has a password);"
                + " this peer has no password: refused");
        await().atMost(CONVERGENCE).until(() ->
                !g.logLinesContaining("password specified, but peer requested an unencrypted connection").isEmpty());
        assertFalse(g.status().knows(j.name().toString()));
    }
}
