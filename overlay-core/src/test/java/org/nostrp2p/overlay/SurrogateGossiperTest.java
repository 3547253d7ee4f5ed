package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;

/** Mesh's surrogate gossiper for channels nobody registered here. */
class SurrogateGossiperTest {
    private final SurrogateGossiper surrogate = new SurrogateGossiper();

    @Test
    void gossipIsPassedOnOnceAndTheSameBytesAgainAreDropped() {
        assertNotNull(surrogate.onGossip(new byte[] {1, 2}));
        assertNull(surrogate.onGossip(new byte[] {1, 2}));
        assertNotNull(surrogate.onGossip(new byte[] {1, 3}));
    }

    @Test
    void everyBroadcastIsPassedOnAndMergedDataKeepsEachMessage() {
        PeerName source = PeerName.parse("00:00:00:00:00:01");
        GossipData first = surrogate.onGossipBroadcast(source, new byte[] {1});
        GossipData again = surrogate.onGossipBroadcast(source, new byte[] {1});
        GossipData merged = first.merge(again);
        assertEquals(2, merged.encode().size());
        assertArrayEquals(new byte[] {1}, merged.encode().get(1));
    }

    @Test
    void itHasNoStateToGossipAndDropsUnicasts() {
        assertNull(surrogate.gossip());
        surrogate.onGossipUnicast(PeerName.parse("00:00:00:00:00:01"), new byte[] {9});
    }

    @Test
    void itRemembersABoundedNumberOfMessages() {
        for (int i = 0; i < SurrogateGossiper.MAX_REMEMBERED + 10; i++) {
            surrogate.onGossip(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        // the oldest were forgotten, so they pass again
        assertNotNull(surrogate.onGossip(new byte[] {0, 0}));
    }

    @Test
    void itRemembersABoundedNumberOfBytes() {
        for (int i = 0; i < 100; i++) {
            byte[] message = new byte[10_000];
            message[0] = (byte) i;
            surrogate.onGossip(message);
            assertTrue(surrogate.rememberedBytes() <= SurrogateGossiper.MAX_REMEMBERED_BYTES);
        }
    }

    @Test
    void whatWaitsForOneConnectionIsBoundedInBytesKeepingTheNewest() {
        PeerName source = PeerName.parse("00:00:00:00:00:01");
        GossipData pending = surrogate.onGossipBroadcast(source, new byte[] {0});
        for (int i = 1; i <= 300; i++) {
            byte[] message = new byte[10_000];
            message[0] = (byte) i;
            pending = pending.merge(surrogate.onGossipBroadcast(source, message));
        }
        long bytes = pending.encode().stream().mapToLong(m -> m.length).sum();
        assertTrue(bytes <= SurrogateGossiper.MAX_PENDING_BYTES, bytes + " bytes pending");
        assertEquals((byte) 300, pending.encode().get(pending.encode().size() - 1)[0]);
    }
}
