package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/** The {@value FeatureExchange#HAND_OFF_FEATURE} feature: what a full Java peer names, and what a dialler takes of it. */
class FeatureExchangeHandOffTest {
    private static final ConnectionSettings SETTINGS = new ConnectionSettings(PeerName.parse("02:00:00:00:00:01"),
            "full", 0xfeedL, null, Connection.HEARTBEAT_MILLIS, TrustedSubnets.parse(List.of(), true),
            OutboundBudget.DEFAULT_MAX_BYTES, NeighbourBudget.FRAMES_PER_SECOND, NeighbourBudget.BYTES_PER_SECOND, 6, 64);

    private static Map<String, String> encoded(boolean atLimit, List<String> handOff) {
        return FeatureExchange.encode(SETTINGS, 1, 7000, new FeatureExchange.Ours(5, false, false, true, atLimit, handOff, false, false));
    }

    @Test
    void aFullPeerNamesThePeersItHandsTheDiallerOnToAndTheDiallerReadsThem() {
        List<String> handOff = List.of("127.0.0.1:7001", "10.0.0.2:6783", "[::1]:7003");

        FeatureExchange.Theirs theirs = FeatureExchange.parse(encoded(true, handOff));

        assertEquals("127.0.0.1:7001 10.0.0.2:6783 [::1]:7003", encoded(true, handOff).get(FeatureExchange.HAND_OFF_FEATURE));
        assertEquals(handOff, theirs.handOff());
    }

    @Test
    void aLinklessDiallerAndAFullPeerWithRoomForItSaySoAndOnlyJavaPeersAreRead() {
        Map<String, String> dialler = FeatureExchange.encode(SETTINGS, 1, 7000,
                new FeatureExchange.Ours(5, false, false, false, false, List.of(), true, false));
        Map<String, String> full = FeatureExchange.encode(SETTINGS, 1, 7000,
                new FeatureExchange.Ours(5, false, false, true, true, List.of("127.0.0.1:7001"), false, true));

        assertTrue(FeatureExchange.parse(dialler).linkless());
        FeatureExchange.Theirs fullPeer = FeatureExchange.parse(full);
        assertTrue(fullPeer.atLimit() && fullPeer.linklessRoom());
        // kept: an ordinary link from there on, nobody handed on
        FeatureExchange.Theirs kept = fullPeer.keptAsLinkless();
        assertFalse(kept.atLimit());
        assertEquals(List.of(), kept.handOff());

        // room is read only with the limit, and neither from a peer that is not Java
        Map<String, String> roomWithoutLimit = new HashMap<>(encoded(false, List.of()));
        roomWithoutLimit.put(FeatureExchange.LINKLESS_ROOM_FEATURE, "1");
        assertFalse(FeatureExchange.parse(roomWithoutLimit).linklessRoom());
        Map<String, String> goDialler = new HashMap<>(dialler);
        goDialler.remove(FeatureExchange.IMPLEMENTATION_FEATURE);
        assertFalse(FeatureExchange.parse(goDialler).linkless());
    }

    @Test
    void nothingIsNamedWithoutTheLimitOrWithoutPeersWithRoom() {
        assertFalse(encoded(false, List.of("127.0.0.1:7001")).containsKey(FeatureExchange.HAND_OFF_FEATURE));
        assertFalse(encoded(true, List.of()).containsKey(FeatureExchange.HAND_OFF_FEATURE));
    }

    @Test
    void aDiallerTakesAtMostThreeWellFormedAddressesAndOnlyFromAFullJavaPeer() {
        Map<String, String> features = new HashMap<>(encoded(true, List.of()));
        features.put(FeatureExchange.HAND_OFF_FEATURE,
                "not-an-address 127.0.0.1:7001 127.0.0.1:99999 127.0.0.1:7002 127.0.0.1:7003 127.0.0.1:7004");
        assertEquals(List.of("127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"), FeatureExchange.parse(features).handOff());
        features.put(FeatureExchange.HAND_OFF_FEATURE, "x ".repeat(10_000) + "127.0.0.1:7001");
        assertEquals(List.of(), FeatureExchange.parse(features).handOff(), "only the first few tokens are read");

        features.remove(FeatureExchange.AT_LIMIT_FEATURE);
        assertEquals(List.of(), FeatureExchange.parse(features).handOff(), "without AtLimit it hands nobody on");

        features.put(FeatureExchange.AT_LIMIT_FEATURE, "1");
        features.remove(FeatureExchange.IMPLEMENTATION_FEATURE);
        assertEquals(List.of(), FeatureExchange.parse(features).handOff(), "a Go peer says no such thing");
    }
}
