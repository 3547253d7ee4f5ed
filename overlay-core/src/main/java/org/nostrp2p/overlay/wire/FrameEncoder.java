package org.nostrp2p.overlay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Prefixes each outgoing frame body with its 4-byte big-endian length (mesh
 * {@code lengthPrefixTCPSender}); a body over {@link WireCodec#MAX_FRAME_BYTES} fails the
 * write with a {@link ProtocolException} instead of reaching the wire. Sharable.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class FrameEncoder extends MessageToMessageEncoder<ByteBuf> {

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        int length = body.readableBytes();
        if (length > WireCodec.MAX_FRAME_BYTES) {
            throw new ProtocolException("outgoing frame of " + length + " bytes exceeds the maximum of "
                    + WireCodec.MAX_FRAME_BYTES);
        }
        out.add(ctx.alloc().buffer(4).writeInt(length));
        out.add(body.retain());
    }
}
