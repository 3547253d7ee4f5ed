package org.nostrp2p.overlay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nostrp2p.overlay.wire.WireCodec;

/** A hand-driven TCP client that speaks (or breaks) the mesh protocol byte by byte. */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;

    RawPeer(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Over a connected socket: one this test dialled, or one it accepted (the handshake is the same both ways). */
    RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** @return the log tag the router uses for this connection */
    String remoteTag() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void writeFrame(byte[] body) throws IOException {
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    /** Writes one frame: the message's tag byte, then {@code payload}. */
    void writeFrame(org.nostrp2p.overlay.wire.ProtocolTag tag, byte[] payload) throws IOException {
        out.writeInt(payload.length + 1);
        out.write(tag.code());
        out.write(payload);
        out.flush();
    }

    byte[] readFrame() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    byte[] read(int n) throws IOException {
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    /** Header, plain flag, features of a peer called {@code name}; returns the router's features. */
    Map<String, String> handshake(String name) throws IOException {
        return handshake(name, Map.of());
    }

    /** As {@link #handshake(String)}, with {@code extra} features besides mesh's (e.g. saying it is a Java peer). */
    Map<String, String> handshake(String name, Map<String, String> extra) throws IOException {
        intro();
        sendFeatures(name, extra);
        return WireCodec.decodeFeatures(readFrame());
    }

    /** Header and plain flag both ways: the router then sends its features (see {@link #sendFeatures}). */
    void intro() throws IOException {
        write(new byte[] {'w', 'e', 'a', 'v', 'e', 1, 2});
        read(7);
        write(new byte[] {0});
        read(1);
    }

    /** The features of a peer called {@code name}, with {@code extra} besides mesh's. */
    void sendFeatures(String name, Map<String, String> extra) throws IOException {
        Map<String, String> features = new LinkedHashMap<>();
        features.put("PeerNameFlavour", "mac");
        features.put("Name", name);
        features.put("NickName", "raw");
        features.put("ShortID", "7");
        features.put("UID", "12345");
        features.put("ConnID", "999");
        features.putAll(extra);
        writeFrame(WireCodec.encodeFeatures(features));
    }

    /** @return true when the router closed the connection (EOF or reset), false when it is still open after the timeout */
    boolean closedByRemote(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
