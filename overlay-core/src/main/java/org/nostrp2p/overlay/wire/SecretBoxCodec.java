package org.nostrp2p.overlay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;

/**
 * Encrypts and authenticates the frames of a connection whose mesh has a password (mesh
 * {@code encryptedTCPSender}/{@code encryptedTCPReceiver}, protocol_crypto.go). It sits
 * between the framing ({@link FrameDecoder}, {@link FrameEncoder}) and the connection: each
 * frame body becomes a NaCl secretbox (16-byte Poly1305 tag ‖ XSalsa20 ciphertext) under the
 * session key ({@link SessionKey#form}), with the nonce
 * <pre>
 *   byte 0      0x40 (TCP) | 0x80 if the sender dialled the connection
 *   bytes 1-15  zero
 *   bytes 16-23 the frame's sequence number, big-endian, from 0 in each direction
 * </pre>
 * The feature map is frame 0. Because the receiver expects the next number, a replayed,
 * dropped or reordered frame fails authentication like an altered one: the codec raises
 * {@link SecretBoxException}, delivers nothing of that frame or any later one, and the
 * connection closes. To tell the operator which it was, a failing frame of at most
 * {@value #DIAGNOSIS_MAX_BYTES} bytes is tried against the {@value #DIAGNOSIS_WINDOW} numbers
 * either side of the expected one.
 *
 * <p>Not sharable; runs on the channel's event loop, which keeps the outgoing numbers in
 * the order the frames reach the wire.
 */
public final class SecretBoxCodec extends MessageToMessageCodec<ByteBuf, ByteBuf> {

    /** Bytes each frame grows by. */
    public static final int OVERHEAD = SecretBox.OVERHEAD;
    /**
     * The largest frame body that still fits {@link WireCodec#MAX_FRAME_BYTES} once sealed: what
     * a sender may put in one frame whether the connection is plain or encrypted (mesh fails the
     * connection on a larger one).
     */
    public static final int MAX_BODY_BYTES = WireCodec.MAX_FRAME_BYTES - OVERHEAD;
    /** How many sequence numbers either side of the expected one a failing frame is tried against. */
    static final int DIAGNOSIS_WINDOW = 16;
    /** Failing frames larger than this are not diagnosed (bounds the work a forger can cause). */
    static final int DIAGNOSIS_MAX_BYTES = 64 * 1024;

    private static final int TCP_BIT = 0x40;
    private static final int OUTBOUND_BIT = 0x80;

    private final SecretBox sendBox;
    private final SecretBox receiveBox;
    private final byte[] sendNonce = new byte[SecretBox.NONCE_BYTES];
    private final byte[] receiveNonce = new byte[SecretBox.NONCE_BYTES];
    private long sendSequence;
    private long receiveSequence;
    private boolean failed;

    /**
     * @param sessionKey the 32-byte session key, copied
     * @param outbound   whether this peer dialled the connection
     */
    public SecretBoxCodec(byte[] sessionKey, boolean outbound) {
        this.sendBox = new SecretBox(sessionKey);
        this.receiveBox = new SecretBox(sessionKey);
        sendNonce[0] = (byte) (TCP_BIT | (outbound ? OUTBOUND_BIT : 0));
        receiveNonce[0] = (byte) (TCP_BIT | (outbound ? 0 : OUTBOUND_BIT));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(seal(body)));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf box, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(open(box)));
    }

    /** Seals {@code body} (not released) as the next outgoing frame. */
    byte[] seal(ByteBuf body) {
        byte[] sealed = new byte[body.readableBytes() + OVERHEAD];
        setSequence(sendNonce, sendSequence);
        sendBox.seal(sendNonce, body.nioBuffers(), sealed, 0);
        sendSequence++;
        return sealed;
    }

    /**
     * Opens {@code box} (not released) as the next incoming frame.
     *
     * @throws SecretBoxException when it does not authenticate, and for every frame after that
     */
    byte[] open(ByteBuf box) {
        if (failed) {
            throw new SecretBoxException(SecretBoxException.Kind.FORGED, receiveSequence,
                    "a frame arrived after one that failed authentication; it is dropped unread");
        }
        int length = box.readableBytes();
        byte[] sealed = new byte[length];
        box.getBytes(box.readerIndex(), sealed);
        if (length < OVERHEAD) {
            failed = true;
            throw new SecretBoxException(SecretBoxException.Kind.FORGED, receiveSequence, "encrypted frame "
                    + receiveSequence + " has " + length + " bytes, fewer than the " + OVERHEAD + " of its authenticator");
        }
        byte[] message = new byte[length - OVERHEAD];
        setSequence(receiveNonce, receiveSequence);
        if (!receiveBox.open(receiveNonce, sealed, 0, length, message, 0)) {
            failed = true;
            throw diagnose(sealed);
        }
        receiveSequence++;
        return message;
    }

    private SecretBoxException diagnose(byte[] sealed) {
        long expected = receiveSequence;
        if (sealed.length <= DIAGNOSIS_MAX_BYTES) {
            for (int distance = 1; distance <= DIAGNOSIS_WINDOW; distance++) {
                if (expected - distance >= 0 && authenticatesAs(sealed, expected - distance)) {
                    return new SecretBoxException(SecretBoxException.Kind.REPLAYED, expected, "encrypted frame "
                            + expected + " is a replay of frame " + (expected - distance) + " (refused)");
                }
                if (authenticatesAs(sealed, expected + distance)) {
                    return new SecretBoxException(SecretBoxException.Kind.REORDERED, expected, "encrypted frame "
                            + expected + " is frame " + (expected + distance) + " out of order (refused)");
                }
            }
        }
        if (expected == 0) {
            return new SecretBoxException(SecretBoxException.Kind.WRONG_PASSWORD, expected,
                    "the remote peer's first encrypted frame does not authenticate:"
                            + " it uses a different mesh password");
        }
        return new SecretBoxException(SecretBoxException.Kind.FORGED, expected, "encrypted frame " + expected
                + " failed authentication: altered in transit or not sent by the peer holding the session key");
    }

    private boolean authenticatesAs(byte[] sealed, long sequence) {
        byte[] nonce = receiveNonce.clone();
        setSequence(nonce, sequence);
        return receiveBox.authentic(nonce, sealed, 0, sealed.length);
    }

    private static void setSequence(byte[] nonce, long sequence) {
        for (int i = 0; i < 8; i++) {
            nonce[23 - i] = (byte) (sequence >>> (8 * i));
        }
    }
}
