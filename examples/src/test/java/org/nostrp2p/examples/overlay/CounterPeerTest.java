package org.nostrp2p.examples.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.RouterStatus;
import org.nostrp2p.overlay.name.PeerName;

/** The overlay example: counters on three peers agree, and the documented embedding is this code. */
class CounterPeerTest {
    private final List<CounterPeer> peers = new ArrayList<>();

    @AfterEach
    void stop() {
        peers.forEach(CounterPeer::close);
    }

    private CounterPeer start(int i, List<String> connectTo) {
        CounterPeer peer = new CounterPeer(PeerName.parse("02:00:00:00:0c:0" + i), "127.0.0.1", 0, connectTo);
        peers.add(peer);
        return peer;
    }

    private static String address(CounterPeer peer) {
        return "127.0.0.1:" + peer.router().port();
    }

    @Test
    void incrementsOnThreePeersAddUpToTheSameTotalEverywhere() {
        CounterPeer a = start(1, List.of());
        CounterPeer b = start(2, List.of(address(a)));
        CounterPeer c = start(3, List.of(address(b)));
        await().atMost(Duration.ofSeconds(10)).until(() -> peers.stream().allMatch(p -> p.router().status().peers().size() == 3
                && p.router().status().unicastRoutes().size() == 2));

        a.increment();
        b.increment();
        b.increment();
        c.increment();

        await().atMost(Duration.ofSeconds(10)).until(() -> peers.stream().allMatch(p -> p.total() == 4));
    }

    @Test
    void theCountersShowTheIncrementsTrafficOnEveryPeer() {
        CounterPeer a = start(1, List.of());
        CounterPeer b = start(2, List.of(address(a)));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.router().reachablePeerCount() == 1 && b.router().reachablePeerCount() == 1);
        RouterStatus.Counters before = b.router().status().counters();

        a.increment();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.total() == 1);

        RouterStatus.Counters after = b.router().status().counters();
        assertTrue(after.framesReceived() > before.framesReceived(), "the broadcast came as a frame: " + b.counters());
        assertTrue(after.bytesReceived() > before.bytesReceived(), b.counters());
        assertTrue(before.topologyMessagesReceived() > 0 && before.routeRecomputations() > 0, "the join: " + b.counters());
        assertTrue(b.counters().startsWith("frames sent "), b.counters());
    }

    @Test
    void theMembershipListenerSeesPeersJoinAndLeave() {
        CounterPeer a = start(1, List.of());
        CounterPeer b = start(2, List.of(address(a)));
        CounterPeer c = start(3, List.of(address(b)));
        await().atMost(Duration.ofSeconds(15)).until(() -> a.members().equals(java.util.Set.of(b.router().name(),
                c.router().name())));

        c.close();

        await().atMost(Duration.ofSeconds(15)).until(() -> a.members().equals(java.util.Set.of(b.router().name())));
    }

    @Test
    void aCounterMessageThatIsNotWholeEntriesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IncrementOnlyCounter.decode(new byte[13]));
        IncrementOnlyCounter counter = new IncrementOnlyCounter();
        counter.increment(PeerName.parse("02:00:00:00:00:01"));
        assertEquals(1, IncrementOnlyCounter.decode(counter.encode().get(0)).total());
    }

    @Test
    void theEmbeddingSampleInDocsOverlayMdIsTheExamplesCode() throws IOException {
        String source = Files.readString(Path.of("src/main/java/org/nostrp2p/examples/overlay/CounterPeer.java"), StandardCharsets.UTF_8);
        String doc = Files.readString(Path.of("../docs/overlay.md"), StandardCharsets.UTF_8);
        String sample = between(source, "// --8<-- [start:embedding]\n", "    // --8<-- [end:embedding]");
        String documented = between(doc, "<!-- embedding:start -->\n```java\n", "```\n<!-- embedding:end -->");
        assertEquals(sample, documented, "docs/overlay.md must show CounterPeer's embedding code as it is");
        assertTrue(sample.contains("Router.builder()"));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from + start.length());
        assertTrue(from >= 0 && to > from, "markers " + start.trim() + " … " + end.trim());
        return text.substring(from + start.length(), to);
    }
}
