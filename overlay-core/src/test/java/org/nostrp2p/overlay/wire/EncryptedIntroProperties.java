package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * An intro with a password, then whatever bytes a peer sends: the whole encrypted pipeline
 * (intro, key exchange, framing, {@link SecretBoxCodec}) fails only with a
 * {@link ProtocolException} and delivers no frame, since nothing random authenticates.
 */
class EncryptedIntroProperties {

    private static final byte[] PASSWORD = "p".getBytes(StandardCharsets.UTF_8);

    private static final class Frames extends ChannelInboundHandlerAdapter {
        int count;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            count++;
            ((ByteBuf) msg).release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        }
    }

    @Property(tries = 150)
    void anyPublicKeyAndFramesFailOnlyWithAProtocolExceptionAndDeliverNothing(
            @ForAll @Size(32) byte[] publicKey, @ForAll @Size(max = 8) List<@Size(max = 40) byte[]> bodies,
            @ForAll @IntRange(min = 1, max = 23) int chunk, @ForAll boolean outbound) {
        ByteBuf bytes = Unpooled.buffer().writeBytes(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2, 1}).writeBytes(publicKey);
        for (byte[] body : bodies) {
            bytes.writeInt(body.length).writeBytes(body);
        }
        byte[] all = new byte[bytes.readableBytes()];
        bytes.readBytes(all);
        Frames frames = new Frames();
        EmbeddedChannel channel = new EmbeddedChannel(new ProtocolIntroHandler(PASSWORD, outbound), frames);
        try {
            for (int i = 0; i < all.length; i += chunk) {
                channel.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(chunk, all.length - i)));
            }
            channel.finishAndReleaseAll();
        } catch (DecoderException e) {
            assertInstanceOf(ProtocolException.class, e.getCause(), "only the protocol's own exception: " + e);
        }
        assertEquals(0, frames.count, "nothing unauthenticated is delivered");
    }
}
