package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.nostrp2p.model.Event;
import org.nostrp2p.overlay.name.PeerName;

/**
 * interop/np2ppeer: a Go mesh peer on channel {@code nostrp2p} that encodes and decodes
 * packets with the Go server's types and vmihailenco/msgpack/v5. Built once per JVM with
 * Debian's Go packages in GOPATH mode.
 */
final class GoNp2pPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path binary;

    private final Process process;
    private final Writer stdin;
    final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    final PeerName name;

    private GoNp2pPeer(Process process, PeerName name) {
        this.process = process;
        this.name = name;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(JSON.readTree(line));
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "np2ppeer-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    static synchronized Path build() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        Path module = Path.of("").toAbsolutePath();
        Path source = module.resolveSibling("interop").resolve("np2ppeer");
        Path target = module.resolve("target").resolve("go-bin").resolve("np2ppeer");
        Path gopath = module.resolve("target").resolve("go-path");
        Files.createDirectories(target.getParent());
        Files.createDirectories(gopath);
        ProcessBuilder go = new ProcessBuilder("go", "build", "-o", target.toString(), ".").directory(source.toFile())
                .redirectErrorStream(true);
        go.environment().put("GO111MODULE", "off");
        go.environment().put("GOPATH", gopath + ":/usr/share/gocode");
        go.environment().putIfAbsent("GOCACHE", module.resolve("target").resolve("go-cache").toString());
        Process p;
        try {
            p = go.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run go: install golang-go, golang-github-weaveworks-mesh-dev and "
                    + "golang-github-vmihailenco-msgpack.v5-dev (.ci/run does)", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("go build of " + source + " failed (needs golang-github-weaveworks-mesh-dev and "
                    + "golang-github-vmihailenco-msgpack.v5-dev):\n" + output);
        }
        binary = target;
        return binary;
    }

    static GoNp2pPeer start(PeerName name, String bootstrap) throws IOException, InterruptedException {
        Path bin = build();
        Process process = new ProcessBuilder(bin.toString(), "-name", name.toString(), "-listen", "127.0.0.1:0",
                "-peers", bootstrap).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        GoNp2pPeer peer = new GoNp2pPeer(process, name);
        peer.awaitLine(l -> l.path("event").asText().equals("ready"));
        return peer;
    }

    void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode awaitLine(Predicate<JsonNode> condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> lines.stream().anyMatch(condition));
        return lines.stream().filter(condition).findFirst().orElseThrow();
    }

    int routes() {
        int before = lines.size();
        send("status");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().skip(before).anyMatch(l -> l.path("event").asText().equals("status")));
        return lines.stream().skip(before).filter(l -> l.path("event").asText().equals("status")).findFirst().orElseThrow().path("routes").asInt();
    }

    /** Broadcasts events in a packet the Go encoder writes. */
    void broadcastEvents(List<Event> events) {
        send("broadcast " + packet(events, null));
    }

    void unicastEvents(PeerName destination, List<Event> events) {
        send("unicast " + destination + " " + packet(events, null));
    }

    void broadcastRequest(long id, int kind) {
        send("broadcast " + packet(null, List.of(Map.of("id", Long.toUnsignedString(id), "kind", kind))));
    }

    void unicastRequest(PeerName destination, long id, int kind, String evtIdHex) {
        Map<String, Object> req = evtIdHex == null ? Map.of("id", Long.toUnsignedString(id), "kind", kind)
                : Map.of("id", Long.toUnsignedString(id), "kind", kind, "evtId", evtIdHex);
        send("unicast " + destination + " " + packet(null, List.of(req)));
    }

    private static String packet(List<Event> events, List<Map<String, Object>> reqs) {
        ObjectNode packet = JSON.createObjectNode().put("srvVer", 1).put("pktVer", 3);
        if (events == null) {
            packet.putNull("events");
        } else {
            ArrayNode array = packet.putArray("events");
            for (Event e : events) {
                ObjectNode o = array.addObject().put("id", e.idHex()).put("pubkey", e.pubkeyHex()).put("created_at", e.createdAt())
                        .put("kind", e.kind()).put("content", e.content());
                ArrayNode tags = o.putArray("tags");
                for (List<String> tag : e.tags()) {
                    ArrayNode elements = tags.addArray();
                    tag.forEach(elements::add);
                }
                if (e.sig() == null) {
                    o.putNull("sig");
                } else {
                    o.put("sig", e.sigHex());
                }
            }
        }
        if (reqs == null) {
            packet.putNull("reqs");
        } else {
            packet.set("reqs", JSON.valueToTree(reqs));
        }
        return packet.toString();
    }

    /** @return the received packets (decoded by Go) of one type */
    List<JsonNode> received(String type) {
        return lines.stream().filter(l -> l.path("event").asText().equals("received") && l.path("type").asText().equals(type)).toList();
    }

    @Override
    public void close() {
        try {
            send("quit");
        } catch (UncheckedIOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
