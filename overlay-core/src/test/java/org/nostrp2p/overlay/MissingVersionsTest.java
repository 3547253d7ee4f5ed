package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.topology.Peers;

/** When a version heard of and not received is wanted, from whom, and when it is given up ({@link MissingVersions}). */
class MissingVersionsTest {

    private static final PeerName X = PeerName.parse("02:00:00:00:0f:01");
    private static final long WAIT_MILLIS = 100;

    private final MissingVersions<String> missing = new MissingVersions<>();
    private final Set<PeerName> arrived = new HashSet<>();

    private Map<String, List<PeerName>> dueAt(long millis, String holder) {
        return missing.due(TimeUnit.MILLISECONDS.toNanos(millis), WAIT_MILLIS, (name, m) -> arrived.contains(name),
                (name, m) -> holder == null ? null : holder.equals("announcer") ? m.from() : holder);
    }

    @Test
    void aVersionIsWantedFromItsAnnouncerOnceTheWaitIsOverUnlessItArrived() {
        missing.announced("a", X, 7, 3, 0);

        assertEquals(Map.of(), dueAt(WAIT_MILLIS - 1, "announcer"));
        assertEquals(Map.of("a", List.of(X)), dueAt(WAIT_MILLIS, "announcer"));

        arrived.add(X);
        assertEquals(Map.of(), dueAt(10_000, "announcer"));
        assertTrue(missing.isEmpty());
    }

    @Test
    void anUnansweredWantGoesAgainEverySecondToWhoeverHasItThenAndIsGivenUpAfterFive() {
        missing.announced("a", X, 7, 3, 0);
        long at = WAIT_MILLIS;
        assertEquals(Map.of("a", List.of(X)), dueAt(at, "announcer"));
        assertEquals(Map.of(), dueAt(at + MissingVersions.WANT_AGAIN_MILLIS - 1, "b"));

        for (int want = 2; want <= MissingVersions.MAX_WANTS; want++) {
            at += MissingVersions.WANT_AGAIN_MILLIS;
            assertEquals(Map.of("b", List.of(X)), dueAt(at, "b"), "want " + want);
        }
        assertTrue(missing.isEmpty(), "still wanted after " + MissingVersions.MAX_WANTS + " wants");
    }

    @Test
    void aNewerAnnouncementTakesOverButNotTheWait() {
        missing.announced("a", X, 7, 3, 0);
        missing.announced("b", X, 7, 4, 50);
        missing.announced("c", X, 7, 2, 60); // older: ignored

        assertEquals(Map.of("b", List.of(X)), dueAt(WAIT_MILLIS, "announcer"));
    }

    @Test
    void aVersionNobodyHasIsForgotten() {
        missing.named("a", X, 0);

        assertEquals(Map.of(), dueAt(WAIT_MILLIS, null));
        assertTrue(missing.isEmpty());
    }

    @Test
    void itHoldsAtMostMaxPeersVersions() {
        for (int i = 0; i < Peers.MAX_PEERS + 10; i++) {
            missing.announced("a", HostilePeer.inventedName(0x0f, i), 1, 1, 0);
        }
        missing.named("a", X, 0);

        assertEquals(Peers.MAX_PEERS, missing.size());
    }
}
