package org.nostrp2p.overlay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream after the intro into frames: a 4-byte big-endian length, then that
 * many bytes (mesh {@code lengthPrefixTCPReceiver}). A length over
 * {@link WireCodec#MAX_FRAME_BYTES} raises a {@link ProtocolException} before anything is
 * allocated. Emits each frame body as a {@link ByteBuf}. Not sharable.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameBytes;

    /** A decoder with mesh's 10 MiB limit. */
    public FrameDecoder() {
        this(WireCodec.MAX_FRAME_BYTES);
    }

    /** @param maxFrameBytes the largest frame body accepted */
    public FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > maxFrameBytes) {
                throw new ProtocolException("incoming frame of " + length + " bytes exceeds the maximum of "
                        + maxFrameBytes);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice((int) length));
        }
    }
}
