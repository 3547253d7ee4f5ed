package org.nostrp2p.overlay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns the frames after the intro ({@link ByteBuf} bodies from {@link FrameDecoder}, or from
 * {@link SecretBoxCodec} on an encrypted connection) into {@link ProtocolMessage}s: the first
 * frame into {@link ProtocolMessage.Features}, each later one by its tag byte. A frame's bytes
 * are copied once, into the message; the frame is released.
 *
 * <p>Errors: a frame over the limit is a {@link ProtocolException}, a first frame that is not
 * one gob {@code map[string]string} a {@link GobDecodingException}; Netty hands either on
 * wrapped in a {@code DecoderException}, and the connection closes. After a bad first frame
 * the decoder drops whatever else comes (the connection is closing): nothing read after it
 * can be mistaken for the features. Later frames never fail: tags this peer does not use
 * become {@link ProtocolMessage.Reserved}, {@link ProtocolMessage.Unknown} or
 * {@link ProtocolMessage.Blank}, as Go ignores them.
 *
 * <p>Not sharable: one per channel, on its event loop.
 */
public final class ProtocolMessageDecoder extends MessageToMessageDecoder<ByteBuf> {

    private enum State { FEATURES, MESSAGES, FAILED }

    private static final ProtocolMessage HEARTBEAT = new ProtocolMessage.Heartbeat();
    private static final ProtocolMessage BLANK = new ProtocolMessage.Blank();

    private final int maxFrameBytes;
    private State state = State.FEATURES;

    /** A decoder with mesh's 10 MiB frame limit ({@link WireCodec#MAX_FRAME_BYTES}). */
    public ProtocolMessageDecoder() {
        this(WireCodec.MAX_FRAME_BYTES);
    }

    /** @param maxFrameBytes the largest frame body accepted, at least 1 */
    public ProtocolMessageDecoder(int maxFrameBytes) {
        super(ByteBuf.class);
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (state == State.FAILED) {
            return;
        }
        int length = frame.readableBytes();
        if (length > maxFrameBytes) {
            state = State.FAILED;
            throw new ProtocolException("a frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
        }
        if (state == State.FEATURES) {
            state = State.FAILED; // until the features have been read
            ProtocolMessage features = new ProtocolMessage.Features(WireCodec.decodeFeatures(ByteBufUtil.getBytes(frame)));
            state = State.MESSAGES;
            out.add(features);
            return;
        }
        out.add(message(frame));
    }

    private static ProtocolMessage message(ByteBuf frame) {
        if (!frame.isReadable()) {
            return BLANK;
        }
        int code = frame.getUnsignedByte(frame.readerIndex());
        ProtocolTag tag = ProtocolTag.fromCode(code);
        if (tag == null) {
            return new ProtocolMessage.Unknown(code);
        }
        return switch (tag) {
            case HEARTBEAT -> HEARTBEAT;
            case GOSSIP, GOSSIP_UNICAST, GOSSIP_BROADCAST -> {
                byte[] payload = new byte[frame.readableBytes() - 1];
                frame.getBytes(frame.readerIndex() + 1, payload);
                yield new ProtocolMessage.Gossip(tag, payload);
            }
            case CONN_ESTABLISHED, FRAGMENTATION_TEST, PMTU_VERIFIED, OVERLAY_CONTROL_MSG -> new ProtocolMessage.Reserved(tag);
        };
    }
}
