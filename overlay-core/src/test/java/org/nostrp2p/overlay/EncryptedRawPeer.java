package org.nostrp2p.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nostrp2p.overlay.wire.SecretBoxCodec;
import org.nostrp2p.overlay.wire.SessionKey;
import org.nostrp2p.overlay.wire.WireCodec;

/**
 * A hand-driven dialler of an encrypted mesh connection: it sends flag 1 and its public key,
 * forms the session key with the password it is given, and seals (or forges, replays,
 * reorders) frames one at a time, so a test controls every byte on the wire.
 */
final class EncryptedRawPeer implements AutoCloseable {
    final RawPeer raw;
    private final EmbeddedChannel codec;

    /** Dials {@code port}, exchanges header and keys, and forms the session key with {@code password}. */
    EncryptedRawPeer(int port, byte[] password) throws IOException {
        raw = new RawPeer(port);
        SessionKey.KeyPair keys = SessionKey.generateKeyPair();
        raw.write(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2});
        raw.read(7);
        byte[] flag = new byte[33];
        flag[0] = 1;
        System.arraycopy(keys.publicKey(), 0, flag, 1, 32);
        raw.write(flag);
        byte[] theirs = raw.read(33);
        if (theirs[0] != 1) {
            throw new IOException("the router answered with encryption flag " + theirs[0]);
        }
        byte[] sessionKey = SessionKey.form(Arrays.copyOfRange(theirs, 1, 33), keys.privateKey(), password);
        codec = new EmbeddedChannel(new SecretBoxCodec(sessionKey, true));
    }

    String remoteTag() {
        return raw.remoteTag();
    }

    /** @return {@code body} sealed as the next frame, not yet sent */
    byte[] seal(byte[] body) {
        codec.writeOutbound(Unpooled.wrappedBuffer(body));
        ByteBuf sealed = codec.readOutbound();
        try {
            return ByteBufUtil.getBytes(sealed);
        } finally {
            sealed.release();
        }
    }

    /** Sends an already sealed frame, as is. */
    void send(byte[] sealed) throws IOException {
        raw.writeFrame(sealed);
    }

    /** @return the next frame from the router, opened */
    byte[] receive() throws IOException {
        codec.writeInbound(Unpooled.wrappedBuffer(raw.readFrame()));
        ByteBuf opened = codec.readInbound();
        try {
            return ByteBufUtil.getBytes(opened);
        } finally {
            opened.release();
        }
    }

    /** Sends features of a peer called {@code name} as frame 0. */
    void sendFeatures(String name) throws IOException {
        Map<String, String> features = new LinkedHashMap<>();
        features.put("PeerNameFlavour", "mac");
        features.put("Name", name);
        features.put("NickName", "raw");
        features.put("UID", "12345");
        features.put("ConnID", "999");
        send(seal(WireCodec.encodeFeatures(features)));
    }

    /** Both feature frames; returns the router's features. */
    Map<String, String> handshake(String name) throws IOException {
        sendFeatures(name);
        return WireCodec.decodeFeatures(receive());
    }

    boolean closedByRemote(int timeoutMillis) throws IOException {
        return raw.closedByRemote(timeoutMillis);
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
