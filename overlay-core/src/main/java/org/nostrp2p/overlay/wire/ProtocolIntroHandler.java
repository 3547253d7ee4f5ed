package org.nostrp2p.overlay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first phase of a mesh connection (mesh {@code protocolIntroParams.doIntro}, protocol.go),
 * for protocol version 2:
 * <pre>
 *   both sides: "weave" ‖ min version ‖ max version       (7 bytes; 10 s to receive it)
 *   both sides: encryption flag (0 plain, 1 + 32-byte public key for encrypted)
 *   then 4-byte big-endian length-prefixed frames, the first being the gob feature map
 * </pre>
 * The negotiated version is the smaller of the two maxima, refused when the larger minimum
 * exceeds it. This peer speaks only version 2.
 *
 * <p>With a password (mesh {@code Config.Password}) this side sends flag 1 and a fresh
 * Curve25519 public key ({@link SessionKey}); a remote peer must do the same, and both derive
 * the session key from the two keys and the password. Without one it sends flag 0. A peer
 * whose flag does not match is refused with a {@link ProtocolException} that says which side
 * has the password; a peer with another password is found out by the first frame, which
 * then fails authentication in {@link SecretBoxCodec}.
 *
 * <p>When the intro is done this handler puts {@link FrameDecoder} and {@link FrameEncoder}
 * (and, on an encrypted connection, a {@link SecretBoxCodec} after them) in its place, before
 * whatever handlers follow it (on a connection: the neighbour's budget and a
 * {@link ProtocolMessageDecoder}, which sit there from the start and see nothing until the
 * first frame), passing on any bytes already received, and fires {@link IntroComplete}. Not
 * sharable: one per channel; runs on the channel's event loop.
 */
public final class ProtocolIntroHandler extends ByteToMessageDecoder {

    /** Mesh's {@code Protocol}. */
    public static final String PROTOCOL = "weave";
    /** The lowest version this peer accepts (NostrP2P's Go peers also refuse version 1). */
    public static final int MIN_VERSION = 2;
    /** The highest version this peer speaks. */
    public static final int MAX_VERSION = 2;
    /** Mesh's {@code headerTimeout}. */
    public static final long HEADER_TIMEOUT_MILLIS = 10_000;

    private static final byte[] PROTOCOL_BYTES = PROTOCOL.getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = PROTOCOL_BYTES.length + 2;

    /** Fired down the pipeline when the intro is complete. @param version the negotiated version */
    public record IntroComplete(int version) {
    }

    /** The name under which an encrypted connection's {@link SecretBoxCodec} joins the pipeline. */
    public static final String SECRET_BOX_HANDLER = "secretBox";

    private enum State { HEADER, FLAG, PUBLIC_KEY, DONE }

    private final long headerTimeoutMillis;
    private final byte[] password;
    private final boolean outbound;
    private SessionKey.KeyPair keyPair;
    private State state = State.HEADER;
    private int version;
    private ScheduledFuture<?> headerTimeout;

    /** A handler for plain connections with mesh's 10 s header timeout. */
    public ProtocolIntroHandler() {
        this(HEADER_TIMEOUT_MILLIS);
    }

    /** @param headerTimeoutMillis how long to wait for the remote header (plain connections) */
    public ProtocolIntroHandler(long headerTimeoutMillis) {
        this(headerTimeoutMillis, null, false);
    }

    /**
     * @param password the mesh password (copied), or null for a plain connection
     * @param outbound whether this peer dialled (it selects the nonces of each direction)
     */
    public ProtocolIntroHandler(byte[] password, boolean outbound) {
        this(HEADER_TIMEOUT_MILLIS, password, outbound);
    }

    /**
     * @param headerTimeoutMillis how long to wait for the remote header
     * @param password            the mesh password (copied), or null for a plain connection
     * @param outbound            whether this peer dialled
     */
    public ProtocolIntroHandler(long headerTimeoutMillis, byte[] password, boolean outbound) {
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.password = password == null ? null : password.clone();
        this.outbound = outbound;
    }

    /** @return the 7 bytes this peer sends first */
    public static byte[] header() {
        byte[] header = new byte[HEADER_BYTES];
        System.arraycopy(PROTOCOL_BYTES, 0, header, 0, PROTOCOL_BYTES.length);
        header[PROTOCOL_BYTES.length] = MIN_VERSION;
        header[PROTOCOL_BYTES.length + 1] = MAX_VERSION;
        return header;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(header()));
        headerTimeout = ctx.executor().schedule(() -> {
            if (state == State.HEADER) {
                ctx.fireExceptionCaught(new ProtocolException(
                        "no protocol header received within " + headerTimeoutMillis + " ms"));
            }
        }, headerTimeoutMillis, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (headerTimeout != null) {
            headerTimeout.cancel(false);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.HEADER) {
            if (in.readableBytes() < HEADER_BYTES) {
                checkPrefix(in);
                return;
            }
            byte[] header = new byte[HEADER_BYTES];
            in.readBytes(header);
            version = negotiate(header);
            state = State.FLAG;
            if (headerTimeout != null) {
                headerTimeout.cancel(false);
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(encryptionFlag()));
        }
        if (state == State.FLAG) {
            if (!in.isReadable()) {
                return;
            }
            int flag = in.readUnsignedByte();
            if (flag == 0 && password != null) {
                throw new ProtocolException("the remote peer has no password and asked for a plain connection;"
                        + " this mesh is encrypted (password set): refused");
            } else if (flag == 1 && password == null) {
                throw new ProtocolException("the remote peer asked for an encrypted connection (it has a password);"
                        + " this peer has no password: refused");
            } else if (flag != 0 && flag != 1) {
                throw new ProtocolException("bad encryption flag " + flag + ", expected 0 (plain) or 1 (encrypted)");
            }
            state = flag == 1 ? State.PUBLIC_KEY : State.DONE;
        }
        byte[] sessionKey = null;
        if (state == State.PUBLIC_KEY) {
            if (in.readableBytes() < SessionKey.KEY_BYTES) {
                return;
            }
            byte[] remotePublicKey = new byte[SessionKey.KEY_BYTES];
            in.readBytes(remotePublicKey);
            sessionKey = SessionKey.form(remotePublicKey, keyPair.privateKey(), password);
            state = State.DONE;
        }
        if (state == State.DONE) {
            if (sessionKey != null) {
                ctx.pipeline().addAfter(ctx.name(), SECRET_BOX_HANDLER, new SecretBoxCodec(sessionKey, outbound));
            }
            ctx.pipeline().addAfter(ctx.name(), "frameEncoder", new FrameEncoder());
            ctx.pipeline().addAfter(ctx.name(), "frameDecoder", new FrameDecoder());
            // The event first: the connection must know the intro is over before the bytes
            // that follow it (passed on when this handler leaves) reach it as frames.
            ctx.fireUserEventTriggered(new IntroComplete(version));
            ctx.pipeline().remove(this);
        }
    }

    // Mesh's doIntroV2: 0, or 1 followed by this connection's ephemeral public key.
    private byte[] encryptionFlag() {
        if (password == null) {
            return new byte[] {0};
        }
        keyPair = SessionKey.generateKeyPair();
        byte[] flag = new byte[1 + SessionKey.KEY_BYTES];
        flag[0] = 1;
        System.arraycopy(keyPair.publicKey(), 0, flag, 1, SessionKey.KEY_BYTES);
        return flag;
    }

    // Rejects a wrong protocol name as soon as its first bytes show it, rather than waiting
    // for seven bytes that may never come (an HTTP client waits for an answer).
    private static void checkPrefix(ByteBuf in) {
        int n = Math.min(in.readableBytes(), PROTOCOL_BYTES.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != PROTOCOL_BYTES[i]) {
                byte[] got = new byte[n];
                in.getBytes(in.readerIndex(), got);
                throw new ProtocolException("remote protocol header not recognised: expected \"weave\", got " + describe(got));
            }
        }
    }

    static int negotiate(byte[] header) {
        for (int i = 0; i < PROTOCOL_BYTES.length; i++) {
            if (header[i] != PROTOCOL_BYTES[i]) {
                byte[] got = new byte[PROTOCOL_BYTES.length];
                System.arraycopy(header, 0, got, 0, got.length);
                throw new ProtocolException("remote protocol header not recognised: expected \"weave\", got " + describe(got));
            }
        }
        int theirMin = header[PROTOCOL_BYTES.length] & 0xFF;
        int theirMax = header[PROTOCOL_BYTES.length + 1] & 0xFF;
        int min = Math.max(theirMin, MIN_VERSION);
        int max = Math.min(theirMax, MAX_VERSION);
        if (min > max) {
            throw new ProtocolException("remote version range [" + theirMin + "," + theirMax
                    + "] is incompatible with ours [" + MIN_VERSION + "," + MAX_VERSION + "]");
        }
        return max;
    }

    private static String describe(byte[] bytes) {
        StringBuilder text = new StringBuilder("\"");
        for (byte b : bytes) {
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF));
        }
        return text.append('"').toString();
    }
}
