package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Length-prefixed frames with mesh's 10 MiB cap, and the protocol intro, on an in-memory channel. */
class FramingTest {

    private static ByteBuf lengthPrefixed(byte[] body) {
        return Unpooled.buffer().writeInt(body.length).writeBytes(body);
    }

    @Test
    void aFrameOfExactlyTenMebibytesIsAccepted() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        byte[] body = new byte[WireCodec.MAX_FRAME_BYTES];
        body[body.length - 1] = 42;
        channel.writeInbound(lengthPrefixed(body));
        ByteBuf frame = channel.readInbound();
        assertEquals(WireCodec.MAX_FRAME_BYTES, frame.readableBytes());
        assertEquals(42, frame.getByte(body.length - 1));
        frame.release();
    }

    @Test
    void aFrameOneByteOverTenMebibytesIsRefusedFromItsLengthAlone() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        DecoderException e = assertThrows(DecoderException.class, () ->
                channel.writeInbound(Unpooled.buffer().writeInt(WireCodec.MAX_FRAME_BYTES + 1)));
        assertInstanceOf(ProtocolException.class, e.getCause());
        assertEquals("incoming frame of 10485761 bytes exceeds the maximum of 10485760", e.getCause().getMessage());
    }

    @Test
    void framesSplitAcrossReadsAndSeveralInOneReadAreReassembled() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeBytes(lengthPrefixed(new byte[] {4, 1, 2}));
        bytes.writeBytes(lengthPrefixed(new byte[0]));
        bytes.writeBytes(lengthPrefixed(new byte[] {6, 9}));
        byte[] all = ByteBufUtil.getBytes(bytes);
        for (byte b : all) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<byte[]> frames = new ArrayList<>();
        for (ByteBuf frame; (frame = channel.readInbound()) != null; ) {
            frames.add(ByteBufUtil.getBytes(frame));
            frame.release();
        }
        assertEquals(3, frames.size());
        assertArrayEquals(new byte[] {4, 1, 2}, frames.get(0));
        assertArrayEquals(new byte[0], frames.get(1));
        assertArrayEquals(new byte[] {6, 9}, frames.get(2));
    }

    @Test
    void outgoingFramesArePrefixedWithTheirBigEndianLengthAndOversizedOnesAreRefused() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {4, 1, 2}));
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            out.writeBytes(part);
            part.release();
        }
        assertArrayEquals(new byte[] {0, 0, 0, 3, 4, 1, 2}, ByteBufUtil.getBytes(out));
        EncoderException e = assertThrows(EncoderException.class, () ->
                channel.writeOutbound(Unpooled.wrappedBuffer(new byte[WireCodec.MAX_FRAME_BYTES + 1])));
        assertInstanceOf(ProtocolException.class, e.getCause());
    }

    /** Records what passes the intro: the event and the frames. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<byte[]> frames = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            frames.add(ByteBufUtil.getBytes(buf));
            buf.release();
        }
    }

    @Test
    void theIntroWritesTheHeaderThenTheFlagAndHandsFramesReceivedInTheSamePacketOn() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new ProtocolIntroHandler(), recorder);
        ByteBuf header = channel.readOutbound();
        assertArrayEquals(new byte[] {'w', 'e', 'a', 'v', 'e', 2, 2}, ByteBufUtil.getBytes(header));
        header.release();

        ByteBuf in = Unpooled.buffer().writeBytes(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2, 0});
        in.writeBytes(lengthPrefixed(new byte[] {0x0B, 0x0C}));
        channel.writeInbound(in);

        ByteBuf flag = channel.readOutbound();
        assertArrayEquals(new byte[] {0}, ByteBufUtil.getBytes(flag));
        flag.release();
        assertEquals(List.of(new ProtocolIntroHandler.IntroComplete(2)), recorder.events);
        assertEquals(1, recorder.frames.size());
        assertArrayEquals(new byte[] {0x0B, 0x0C}, recorder.frames.get(0));
        assertNull(channel.pipeline().get(ProtocolIntroHandler.class));
    }

    @Test
    void noHeaderWithinTheTimeoutFailsTheConnection() {
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ProtocolIntroHandler(10_000), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'w', 'e'}));
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(errors.isEmpty());
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(1, errors.size());
        assertEquals("no protocol header received within 10000 ms", errors.get(0).getMessage());
    }

    @Test
    void versionNegotiationTakesTheSmallerMaximumAndRefusesDisjointRanges() {
        assertEquals(2, ProtocolIntroHandler.negotiate(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2}));
        assertEquals(2, ProtocolIntroHandler.negotiate(new byte[] {'w', 'e', 'a', 'v', 'e', 2, 9}));
        assertThrows(ProtocolException.class, () -> ProtocolIntroHandler.negotiate(new byte[] {'w', 'e', 'a', 'v', 'e', 3, 4}));
        assertThrows(ProtocolException.class, () -> ProtocolIntroHandler.negotiate(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 1}));
    }
}
