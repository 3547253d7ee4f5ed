package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever bytes arrive, the intro and the frame decoder either pass frames on or fail with a ProtocolException. */
class IntroAndFramingProperties {

    private static final byte[] GOOD_START = {'w', 'e', 'a', 'v', 'e', 1, 2, 0};

    private static final class Frames extends ChannelInboundHandlerAdapter {
        int count;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            assertTrue(frame.readableBytes() <= WireCodec.MAX_FRAME_BYTES);
            count++;
            frame.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        }
    }

    private static void feed(byte[] bytes, int chunk) {
        EmbeddedChannel channel = new EmbeddedChannel(new ProtocolIntroHandler(), new Frames());
        try {
            for (int i = 0; i < bytes.length; i += chunk) {
                int n = Math.min(chunk, bytes.length - i);
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, n));
            }
            channel.finishAndReleaseAll(); // the end of the stream is decoded too
        } catch (DecoderException e) {
            // a real connection closes here; the embedded one is just dropped
            assertInstanceOf(ProtocolException.class, e.getCause(), "only the protocol's own exception: " + e);
        }
    }

    @Property(tries = 500)
    void arbitraryBytesFailOnlyWithAProtocolException(@ForAll @Size(max = 64) byte[] bytes,
                                                      @ForAll @IntRange(min = 1, max = 9) int chunk) {
        feed(bytes, chunk);
    }

    @Property(tries = 500)
    void arbitraryFramesAfterAGoodIntroFailOnlyWithAProtocolException(@ForAll @Size(max = 64) List<@Size(max = 12) byte[]> parts,
                                                                      @ForAll @IntRange(min = 1, max = 9) int chunk) {
        ByteBuf bytes = Unpooled.buffer().writeBytes(GOOD_START);
        for (byte[] part : parts) {
            // mostly well-formed frames, sometimes a raw (possibly huge) length
            if (part.length > 0 && part[0] == 0x7F) {
                bytes.writeBytes(part);
            } else {
                bytes.writeInt(part.length).writeBytes(part);
            }
        }
        byte[] all = new byte[bytes.readableBytes()];
        bytes.readBytes(all);
        feed(all, chunk);
    }
}
