package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connection maker's retry schedule and address syntax, as mesh's connection_maker.go. */
class ConnectionMakerTest {

    @Test
    void retriesStartAtTwoSecondsAndGrowByHalfUpToSixMinutesWithJitter() {
        ConnectionMaker.Target target = new ConnectionMaker.Target();
        target.nextTryNow();
        long interval = TimeUnit.SECONDS.toNanos(2);
        for (int attempt = 0; attempt < 30; attempt++) {
            long before = System.nanoTime();
            target.nextTryLater();
            long wait = target.tryAfter - before;
            assertTrue(wait >= interval / 2 - TimeUnit.MILLISECONDS.toNanos(5) && wait <= interval / 2 + interval,
                    "attempt " + attempt + ": waits " + wait + " ns for interval " + interval);
            interval = Math.min(interval * 3 / 2, TimeUnit.MINUTES.toNanos(6));
            assertEquals(interval, target.tryInterval);
        }
        assertEquals(TimeUnit.MINUTES.toNanos(6), target.tryInterval);
        target.nextTryNever();
        assertNull(target.tryAfter);
    }

    @Test
    void addressesAreHostWithAnOptionalPort() {
        assertEquals(new ConnectionMaker.DirectPeer("10.0.0.1", 6783), ConnectionMaker.parse("10.0.0.1:6783"));
        assertEquals(new ConnectionMaker.DirectPeer("example.org", 0), ConnectionMaker.parse("example.org"));
        assertEquals(new ConnectionMaker.DirectPeer("::1", 20000), ConnectionMaker.parse("[::1]:20000"));
        assertThrows(IllegalArgumentException.class, () -> ConnectionMaker.parse(":6783"));
        assertThrows(IllegalArgumentException.class, () -> ConnectionMaker.parse("host:port"));
        assertThrows(IllegalArgumentException.class, () -> ConnectionMaker.parse("host:70000"));
        assertEquals("[::1]:5", ConnectionMaker.joinHostPort("::1", 5));
        assertEquals("::1", ConnectionMaker.host("[::1]:5"));
    }
}
