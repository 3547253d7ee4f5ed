package org.nostrp2p.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An attacker's HTTP client on loopback: raw sockets from any 127.0.0.x source address
 * (Linux routes all of 127/8 to loopback), holding connections in the states a slowloris or
 * a half-open flood leaves them in. Closes every socket it opened on {@link #close()}.
 */
final class HostileHttpClient implements AutoCloseable {

    private final int port;
    private final List<Socket> sockets = new ArrayList<>();

    HostileHttpClient(int port) {
        this.port = port;
    }

    /** @return a connected socket from {@code source} that has sent nothing */
    synchronized Socket silent(String source) {
        try {
            Socket socket = new Socket();
            socket.setSoLinger(true, 0);
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            sockets.add(socket);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a socket that sent a POST's headers announcing 1,000 bytes, then 10 of them, then nothing */
    Socket stalledMidBody(String source, String path) {
        Socket socket = silent(source);
        send(socket, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"kinds\":[");
        return socket;
    }

    /** @return a socket that sent half a request head, then nothing */
    Socket stalledMidHeaders(String source) {
        Socket socket = silent(source);
        send(socket, "POST /req HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
        return socket;
    }

    /** Sends one complete request and answers its status code (the connection then stays open). */
    int request(Socket socket, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        send(socket, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body);
        return statusOf(readHead(socket));
    }

    /** @return the answer's head (status line and headers) */
    static String readHead(Socket socket) {
        try {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    String text = head.toString();
                    int at = text.toLowerCase().indexOf("content-length:");
                    if (at >= 0) {
                        int end = text.indexOf("\r\n", at);
                        in.readNBytes(Integer.parseInt(text.substring(at + 15, end).trim()));
                    }
                    return text;
                }
            }
            throw new IOException("the server closed the connection before answering");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int statusOf(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** @return whether the server has closed this connection (without sending anything more) */
    static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(5);
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void send(Socket socket, String text) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return sockets opened and not yet closed by this client */
    synchronized int held() {
        return sockets.size();
    }

    @Override
    public synchronized void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Already reset by the server.
            }
        }
        sockets.clear();
    }
}
