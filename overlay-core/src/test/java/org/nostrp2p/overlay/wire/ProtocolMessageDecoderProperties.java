package org.nostrp2p.overlay.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * ProtocolMessageDecoder's laws: whatever frames come, it fails only with the protocol's own
 * exceptions, and only on the first frame (later frames always decode, as Go ignores what it
 * does not know); every frame is released; a gossip payload is the frame without its tag.
 */
class ProtocolMessageDecoderProperties {

    @Property(tries = 500)
    void arbitraryFramesFailOnlyWithTheDecodersOwnExceptionsAndOnlyOnTheFirst(
            @ForAll("firstFrames") byte[] first, @ForAll @Size(max = 20) List<@From("laterFrames") byte[]> later) {
        EmbeddedChannel channel = new EmbeddedChannel(new ProtocolMessageDecoder());
        List<ByteBuf> frames = new ArrayList<>();
        boolean failed = false;
        try {
            channel.writeInbound(track(frames, first));
        } catch (DecoderException e) {
            assertTrue(e.getCause() instanceof GobDecodingException || e.getCause() instanceof ProtocolException,
                    "only the decoder's own exceptions: " + e);
            failed = true;
        }
        for (byte[] frame : later) {
            channel.writeInbound(track(frames, frame)); // never throws after the first frame
        }

        List<ProtocolMessage> messages = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            messages.add((ProtocolMessage) message);
        }
        assertEquals(failed ? 0 : 1 + later.size(), messages.size());
        if (!failed) {
            assertInstanceOf(ProtocolMessage.Features.class, messages.get(0));
            for (int i = 0; i < later.size(); i++) {
                checkMessage(later.get(i), messages.get(i + 1));
            }
        }
        frames.forEach(frame -> assertEquals(0, frame.refCnt(), "every frame is released"));
    }

    private static ByteBuf track(List<ByteBuf> frames, byte[] bytes) {
        ByteBuf frame = Unpooled.buffer(bytes.length).writeBytes(bytes); // not the shared empty buffer, never released
        frames.add(frame);
        return frame;
    }

    private static void checkMessage(byte[] frame, ProtocolMessage message) {
        if (frame.length == 0) {
            assertInstanceOf(ProtocolMessage.Blank.class, message);
        } else if (message instanceof ProtocolMessage.Gossip gossip) {
            assertEquals(frame[0] & 0xFF, gossip.tag().code());
            assertEquals(Arrays.toString(Arrays.copyOfRange(frame, 1, frame.length)),
                    Arrays.toString(gossip.payload()));
        } else if (message instanceof ProtocolMessage.Unknown unknown) {
            assertEquals(frame[0] & 0xFF, unknown.code());
            assertTrue(unknown.code() > 7);
        } else if (message instanceof ProtocolMessage.Reserved reserved) {
            assertEquals(frame[0] & 0xFF, reserved.tag().code());
        } else {
            assertInstanceOf(ProtocolMessage.Heartbeat.class, message);
            assertEquals(0, frame[0]);
        }
    }

    @Provide
    Arbitrary<byte[]> firstFrames() {
        return WireArbitraries.firstFrames();
    }

    @Provide
    Arbitrary<byte[]> laterFrames() {
        return WireArbitraries.laterFrames();
    }
}
