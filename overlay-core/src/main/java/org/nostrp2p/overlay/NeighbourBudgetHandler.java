package org.nostrp2p.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Beyond mesh: charges each frame a registered connection reads to its neighbour's
 * {@link NeighbourBudget} and counts it, before it is decoded. It sits between the frame
 * codec (the {@code SecretBoxCodec} on an encrypted connection: plaintext bytes are charged)
 * and the {@code ProtocolMessageDecoder}.
 *
 * <p>Frames read before the connection is registered (its features, and what came with them)
 * pass uncharged and uncounted. Over the budget the connection is told to back off
 * ({@link Link#backPressure}); a frame read after it was cut for its budget is dropped.
 * Not sharable: one per channel, on its event loop.
 */
final class NeighbourBudgetHandler extends ChannelInboundHandlerAdapter {

    /** The budget's name in the line that says why a neighbour was disconnected. */
    static final String BUDGET_NAME = "frames or bytes per second";

    /** What the handler needs of its connection; called on the channel's event loop. */
    interface Link {
        /** @return whether the connection is registered and reads frames as a link: only those are charged */
        boolean charged();

        /**
         * Pauses reading, or disconnects the neighbour (see {@link Connection#backPressure(long, String)}).
         *
         * @return false when the connection is being closed for its budget: the frame is dropped
         */
        boolean backPressure(long pauseNanos, String budgetName);
    }

    /** Frames charged on this connection; any thread may read. */
    final LongAdder framesReceived = new LongAdder();
    /** Their bytes (plaintext, without the length prefix); any thread may read. */
    final LongAdder bytesReceived = new LongAdder();

    private final NeighbourBudget budget;
    private final Link link;
    private final RouterCounters counters;

    /**
     * @param budget   the neighbour's budget (shared with the topology charges)
     * @param link     the connection
     * @param counters the peer's counters, to which frames and bytes are added too
     */
    NeighbourBudgetHandler(NeighbourBudget budget, Link link, RouterCounters counters) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.link = Objects.requireNonNull(link, "link");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame) || !link.charged()) {
            ctx.fireChannelRead(msg);
            return;
        }
        int length = frame.readableBytes();
        if (!link.backPressure(budget.chargeFrame(length, System.nanoTime()), BUDGET_NAME)) {
            frame.release();
            return;
        }
        framesReceived.increment();
        bytesReceived.add(length);
        counters.framesReceived.increment();
        counters.bytesReceived.add(length);
        ctx.fireChannelRead(frame);
    }
}
