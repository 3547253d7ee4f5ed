package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The neighbour's frame budget as a handler of its own: which frames it charges and counts,
 * and what it does with a connection over its budget. A real {@link NeighbourBudget} of one
 * frame a second (bursts of ten); the connection is a recording {@link NeighbourBudgetHandler.Link}.
 */
class NeighbourBudgetHandlerTest {

    /** The connection as the handler sees it: registered or not, and whether it is being cut. */
    private static final class RecordingLink implements NeighbourBudgetHandler.Link {
        boolean registered;
        boolean cut;
        final List<Long> pauses = new ArrayList<>();
        final List<String> budgetNames = new ArrayList<>();

        @Override
        public boolean charged() {
            return registered;
        }

        @Override
        public boolean backPressure(long pauseNanos, String budgetName) {
            if (pauseNanos > 0) {
                pauses.add(pauseNanos);
                budgetNames.add(budgetName);
            }
            return !cut;
        }
    }

    private final RecordingLink link = new RecordingLink();
    private final RouterCounters counters = new RouterCounters();
    private final NeighbourBudgetHandler handler = new NeighbourBudgetHandler(new NeighbourBudget(1, 1024 * 1024), link, counters);
    private final EmbeddedChannel channel = new EmbeddedChannel(handler);

    private ByteBuf frame(int bytes) {
        return Unpooled.buffer(bytes).writeZero(bytes);
    }

    @Test
    void framesReadBeforeTheConnectionIsRegisteredPassUnchargedAndUncounted() {
        for (int i = 0; i < 50; i++) {
            ByteBuf frame = frame(4);
            channel.writeInbound(frame);
            ByteBuf passed = channel.readInbound();
            assertSame(frame, passed);
            passed.release();
        }

        assertTrue(link.pauses.isEmpty(), "fifty frames, five times the burst, and no pause");
        assertEquals(0, handler.framesReceived.sum());
        assertEquals(0, counters.framesReceived.sum());
    }

    @Test
    void aRegisteredConnectionsFramesAreCountedOnTheConnectionAndOnThePeer() {
        link.registered = true;

        channel.writeInbound(frame(4));

        ByteBuf passed = channel.readInbound();
        assertEquals(4, passed.readableBytes());
        passed.release();
        assertEquals(1, handler.framesReceived.sum());
        assertEquals(4, handler.bytesReceived.sum());
        assertEquals(1, counters.framesReceived.sum());
        assertEquals(4, counters.bytesReceived.sum());
    }

    @Test
    void aRegisteredConnectionOverItsFrameBudgetIsToldToBackOffAndItsFramesStillPass() {
        link.registered = true;

        // thrice the burst of ten: over it however slowly the frames go through
        for (int i = 0; i < 30; i++) {
            channel.writeInbound(frame(1));
            ((ByteBuf) channel.readInbound()).release();
        }

        assertFalse(link.pauses.isEmpty(), "frames past the burst ask for a pause");
        assertTrue(link.budgetNames.stream().allMatch(NeighbourBudgetHandler.BUDGET_NAME::equals));
        assertEquals(30, handler.framesReceived.sum());
    }

    @Test
    void aFrameReadAfterTheConnectionWasCutForItsBudgetIsDroppedUncounted() {
        link.registered = true;
        link.cut = true;

        ByteBuf frame = frame(3);
        channel.writeInbound(frame);

        assertNull(channel.readInbound());
        assertEquals(0, frame.refCnt(), "the dropped frame is released");
        assertEquals(0, handler.framesReceived.sum());
        assertEquals(0, counters.framesReceived.sum());
    }
}
