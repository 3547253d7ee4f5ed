package org.nostrp2p.overlay.interop;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Go weaveworks/mesh peer (interop/meshpeer) running as a child process, driven over
 * stdin/stdout: a real {@code mesh.Router} configured as NostrP2P configures it (mac names,
 * ConnLimit 64, no password unless given a password file, protocol v2 only, peer discovery), with gossip channels (by
 * default {@code test}) that record every unicast, broadcast and gossip they receive and
 * relay broadcasts.
 *
 * <p>Built once per JVM by {@link GoBuild} (system property {@code interop.gopath} to use
 * another mesh copy). Mesh's own log goes to {@code target/go-logs/<nick>-<port>.log}.
 * Thread-safe; commands are answered in order. Close it (try-with-resources); a JVM
 * shutdown hook kills any left running.
 */
public final class GoPeer implements AutoCloseable {

    /** The gossip channel meshpeer registers unless told otherwise. */
    public static final String TEST_CHANNEL = "test";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "go-peer-reaper"));
    }

    /**
     * A message one of the peer's channels received.
     *
     * @param type    {@code unicast}, {@code broadcast} or {@code gossip}
     * @param channel the gossip channel
     * @param source  the sender's name ({@code aa:bb:..}); empty for gossip, which mesh
     *                delivers without its source
     * @param data    the application's bytes
     */
    public record Received(String type, String channel, String source, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Received r && type.equals(r.type) && channel.equals(r.channel)
                    && source.equals(r.source) && Arrays.equals(data, r.data);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return type + "(" + channel + ", " + source + ", " + HEX.formatHex(data) + ")";
        }
    }

    /**
     * What mesh's {@code NewStatus} reports (what {@code weave status} shows).
     *
     * @param name            the peer's own name
     * @param nickName        its nickname
     * @param uid             its UID (unsigned bits)
     * @param peers           every peer it knows, itself included, with their connections
     * @param unicastRoutes   destination name to next hop name ({@code 00:00:00:00:00:00} for itself)
     * @param broadcastRoutes source name to the neighbours it forwards that source's broadcasts to
     * @param connections     its own connections and connection attempts
     * @param targets         addresses its connection maker tries
     */
    public record Status(String name, String nickName, long uid, List<PeerStatus> peers,
                         Map<String, String> unicastRoutes, Map<String, List<String>> broadcastRoutes,
                         List<LocalConnection> connections, List<String> targets) {

        /** @return whether it knows the named peer (a placeholder counts) */
        public boolean knows(String peerName) {
            return peers.stream().anyMatch(p -> p.name().equals(peerName));
        }

        /** @return the named peer's entry, or {@code null} */
        public PeerStatus peer(String peerName) {
            return peers.stream().filter(p -> p.name().equals(peerName)).findFirst().orElse(null);
        }

        /** @return whether it has a unicast route (next hop) to the named peer */
        public boolean hasRouteTo(String peerName) {
            return unicastRoutes.containsKey(peerName);
        }

        /** @return the names of the peers at the other end of its established connections */
        public List<String> establishedNeighbours() {
            PeerStatus self = peer(name);
            return self == null ? List.of()
                    : self.connections().stream().filter(ConnectionStatus::established).map(ConnectionStatus::name).toList();
        }
    }

    /**
     * A peer as mesh knows it.
     *
     * @param name        its name
     * @param nickName    its nickname
     * @param uid         its UID, 0 for a placeholder
     * @param version     its topology version
     * @param shortId     its short id
     * @param connections its connections as gossiped
     */
    public record PeerStatus(String name, String nickName, long uid, long version, int shortId,
                             List<ConnectionStatus> connections) {
    }

    /**
     * One connection of a peer.
     *
     * @param name        the remote peer
     * @param nickName    the remote's nickname
     * @param address     the remote TCP address
     * @param outbound    whether this side dialled
     * @param established whether the connection is established
     */
    public record ConnectionStatus(String name, String nickName, String address, boolean outbound,
                                   boolean established) {
    }

    /**
     * One of the peer's own connections or connection attempts.
     *
     * @param address  the remote address
     * @param outbound whether it dialled
     * @param state    {@code pending}, {@code established}, {@code connecting}, {@code failed}, {@code waiting}...
     * @param info     mesh's description
     */
    public record LocalConnection(String address, boolean outbound, String state, String info) {
    }

    private final String name;
    private final String nickName;
    private final int port;
    private final Process process;
    private final Writer stdin;
    private final Path log;
    private final List<Received> received = new ArrayList<>();
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();

    private GoPeer(String name, String nickName, int port, Process process, Path log) {
        this.name = name;
        this.nickName = nickName;
        this.port = port;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "go-peer-" + nickName);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Builds interop/meshpeer once per JVM (go build, GOPATH mode, Debian's mesh or
     * {@code -Dinterop.gopath}) into target/, and starts a peer listening on 127.0.0.1.
     *
     * @param name     its peer name, {@code aa:bb:cc:dd:ee:ff}
     * @param nickName its nickname
     * @param port     its listening port, 0 to pick a free one
     * @param peers    addresses ({@code host:port}) it connects to at start
     * @return the running peer, once it listens
     * @throws IllegalStateException when go or the mesh package is missing, or it does not start
     */
    public static GoPeer start(String name, String nickName, int port, List<String> peers) {
        return start(name, nickName, port, peers, List.of(TEST_CHANNEL), 64);
    }

    /**
     * As {@link #start(String, String, int, List)}, with the channels to register before
     * the router starts and the connection limit.
     *
     * @param name      its peer name
     * @param nickName  its nickname
     * @param port      its listening port, 0 to pick a free one
     * @param peers     addresses it connects to at start
     * @param channels  gossip channels registered before it starts (others are created on first use)
     * @param connLimit mesh's ConnLimit
     * @return the running peer, once it listens
     */
    public static GoPeer start(String name, String nickName, int port, List<String> peers, List<String> channels,
                               int connLimit) {
        return start(name, nickName, port, peers, channels, connLimit, null);
    }

    /**
     * As {@link #start(String, String, int, List, List, int)}, in a mesh with a password
     * (mesh {@code Config.Password}): meshpeer reads it from a file, as {@code serve
     * --password-file} does.
     *
     * @param passwordFile the file holding the password, or null for no password
     * @return the running peer, once it listens
     */
    public static GoPeer start(String name, String nickName, int port, List<String> peers, List<String> channels,
                               int connLimit, Path passwordFile) {
        Path exe = GoBuild.program("meshpeer");
        int listenPort = port == 0 ? freePort() : port;
        try {
            Path logDir = Paths.get("target", "go-logs");
            Files.createDirectories(logDir);
            Path log = logDir.resolve(nickName + "-" + listenPort + ".log");
            List<String> command = new ArrayList<>(List.of(exe.toString(), "-name", name, "-nick", nickName,
                    "-listen", "127.0.0.1:" + listenPort, "-peers", String.join(",", peers),
                    "-channels", String.join(",", channels), "-conn-limit", Integer.toString(connLimit), "-v"));
            if (passwordFile != null) {
                command.addAll(List.of("-password-file", passwordFile.toString()));
            }
            Process process = new ProcessBuilder(command)
                    .redirectError(log.toFile())
                    .start();
            RUNNING.add(process);
            GoPeer peer = new GoPeer(name, nickName, listenPort, process, log);
            try {
                peer.ready.get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                peer.close();
                throw new IllegalStateException("Go peer " + nickName + " did not start: " + peer.logTail(), e);
            }
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + exe, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Go peer " + nickName, e);
        }
    }

    /** @return a port that was free a moment ago */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return its peer name, {@code aa:bb:cc:dd:ee:ff} */
    public String name() {
        return name;
    }

    /** @return its nickname */
    public String nickName() {
        return nickName;
    }

    /** @return its listening port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return {@code 127.0.0.1:<port>} */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** @return its UID (unsigned bits), as it announced at start */
    public long uid() {
        return Long.parseUnsignedLong(ready.join().get("uid").asText());
    }

    /** Adds a connection target ({@code ConnectionMaker.InitiateConnections}). */
    public void connect(String hostPort) {
        request("connect " + hostPort);
    }

    /** Removes a connection target ({@code ConnectionMaker.ForgetConnections}). */
    public void forget(String hostPort) {
        request("forget " + hostPort);
    }

    /** Broadcasts {@code data} on {@code channel} ({@code Gossip.GossipBroadcast}). */
    public void broadcast(String channel, byte[] data) {
        request("broadcast " + channel + " " + hexOrEmpty(data));
    }

    /**
     * Sends {@code data} to one peer on {@code channel} ({@code Gossip.GossipUnicast}).
     *
     * @throws IllegalStateException when mesh refuses, e.g. no route to {@code dstName}
     */
    public void unicast(String channel, String dstName, byte[] data) {
        request("unicast " + channel + " " + dstName + " " + hexOrEmpty(data));
    }

    /** Adds {@code data} to the channel's gossip state, sent by mesh's periodic gossip and to new connections. */
    public void gossip(String channel, byte[] data) {
        request("gossip " + channel + " " + hexOrEmpty(data));
    }

    /** @return what its channels received so far, in order */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /**
     * Waits until what it received satisfies {@code condition}.
     *
     * @throws AssertionError on timeout, listing what it received
     */
    public void awaitReceived(Predicate<List<Received>> condition, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(this::received, condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Go peer " + nickName + " did not receive what was expected within " + timeout
                    + "; it received " + received(), e);
        }
    }

    /** @return a snapshot of mesh's status */
    public Status status() {
        return parseStatus(request("status"));
    }

    /**
     * Waits until its status satisfies {@code condition}.
     *
     * @throws AssertionError on timeout, with the last status
     */
    public void awaitStatus(Predicate<Status> condition, Duration timeout) {
        Status[] last = new Status[1];
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                last[0] = status();
                return condition.test(last[0]);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Go peer " + nickName + " did not reach the expected status within " + timeout
                    + "; last status: " + last[0], e);
        }
    }

    /** @return the lines of mesh's log (its stderr) so far that contain {@code text} */
    public List<String> logLinesContaining(String text) {
        try {
            return Files.readAllLines(log).stream().filter(l -> l.contains(text)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** @return whether the process is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the process: {@code quit}, then a kill after a short grace. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                synchronized (this) {
                    stdin.write("quit\n");
                    stdin.flush();
                }
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(2, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        RUNNING.remove(process);
    }

    @Override
    public String toString() {
        return "GoPeer(" + nickName + " " + name + " @" + port + ")";
    }

    // ---- the line protocol

    private synchronized JsonNode request(String line) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Go peer " + nickName + " has exited: " + logTail());
        }
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
            JsonNode reply = replies.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw new IllegalStateException("Go peer " + nickName + " did not answer '" + line + "' within "
                        + REPLY_TIMEOUT + ": " + logTail());
            }
            if ("error".equals(reply.path("event").asText())) {
                throw new IllegalStateException("Go peer " + nickName + " refused '" + line + "': "
                        + reply.path("error").asText());
            }
            return reply;
        } catch (IOException e) {
            throw new IllegalStateException("Go peer " + nickName + " is gone: " + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to Go peer " + nickName, e);
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException notJson) {
                    continue; // meshpeer writes only JSON; anything else is noise from Go's runtime
                }
                switch (node.path("event").asText()) {
                    case "ready" -> ready.complete(node);
                    case "received" -> {
                        synchronized (received) {
                            received.add(new Received(node.get("type").asText(), node.get("channel").asText(),
                                    node.get("src").asText(), HEX.parseHex(node.get("data").asText())));
                        }
                    }
                    default -> replies.add(node);
                }
            }
        } catch (IOException e) {
            // the process died; requests report it
        } finally {
            ready.completeExceptionally(new IllegalStateException("Go peer " + nickName + " exited"));
        }
    }

    private static Status parseStatus(JsonNode s) {
        List<PeerStatus> peers = new ArrayList<>();
        for (JsonNode p : s.get("peers")) {
            List<ConnectionStatus> connections = new ArrayList<>();
            for (JsonNode c : p.get("connections")) {
                connections.add(new ConnectionStatus(c.get("name").asText(), c.get("nickName").asText(),
                        c.get("address").asText(), c.get("outbound").asBoolean(), c.get("established").asBoolean()));
            }
            peers.add(new PeerStatus(p.get("name").asText(), p.get("nickName").asText(),
                    Long.parseUnsignedLong(p.get("uid").asText()), Long.parseUnsignedLong(p.get("version").asText()),
                    p.get("shortId").asInt(), List.copyOf(connections)));
        }
        Map<String, String> unicast = new LinkedHashMap<>();
        for (JsonNode r : s.get("unicastRoutes")) {
            unicast.put(r.get("dest").asText(), r.get("via").asText());
        }
        Map<String, List<String>> broadcast = new LinkedHashMap<>();
        for (JsonNode r : s.get("broadcastRoutes")) {
            List<String> via = new ArrayList<>();
            r.get("via").forEach(v -> via.add(v.asText()));
            broadcast.put(r.get("source").asText(), List.copyOf(via));
        }
        List<LocalConnection> connections = new ArrayList<>();
        for (JsonNode c : s.get("connections")) {
            connections.add(new LocalConnection(c.get("address").asText(), c.get("outbound").asBoolean(),
                    c.get("state").asText(), c.get("info").asText()));
        }
        List<String> targets = new ArrayList<>();
        s.get("targets").forEach(t -> targets.add(t.asText()));
        return new Status(s.get("name").asText(), s.get("nickName").asText(),
                Long.parseUnsignedLong(s.get("uid").asText()), List.copyOf(peers), Map.copyOf(unicast),
                Map.copyOf(broadcast), List.copyOf(connections), List.copyOf(targets));
    }

    private static String hexOrEmpty(byte[] data) {
        // meshpeer reads whitespace-separated fields: "-" stands for no bytes
        return data.length == 0 ? "-" : HEX.formatHex(data);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "mesh log " + log + " ends:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
