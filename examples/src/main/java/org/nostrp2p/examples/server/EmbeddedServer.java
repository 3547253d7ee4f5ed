package org.nostrp2p.examples.server;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.server.NostrP2PServer;

/**
 * A NostrP2P server embedded in another Java program: a few lines start it, and the program
 * talks to it as a client would, over its REST API.
 *
 * <p>Run one, or several joined together (each prints its overlay address):
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=org.nostrp2p.examples.server.EmbeddedServer \
 *     -Dexec.args="--listen 127.0.0.1:21000"
 * mvn -q -pl examples exec:java -Dexec.mainClass=org.nostrp2p.examples.server.EmbeddedServer \
 *     -Dexec.args="--listen 127.0.0.1:21002 --peer 127.0.0.1:21000"
 * </pre>
 * {@code --once} posts, prints the timeline and stops (the test runs it so).
 */
public final class EmbeddedServer {

    private EmbeddedServer() {
    }

    /**
     * Starts a server for a new user, posts as that user, prints what the server has.
     *
     * @param args {@code [--listen host:port] [--peer host:port]... [--data-dir dir] [--once]}
     */
    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 21000;
        List<String> peers = new ArrayList<>();
        Path dataDirectory = null;
        boolean once = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> {
                    String[] hostPort = args[++i].split(":");
                    host = hostPort[0];
                    port = Integer.parseInt(hostPort[1]);
                }
                case "--peer" -> peers.add(args[++i]);
                case "--data-dir" -> dataDirectory = Path.of(args[++i]);
                case "--once" -> once = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // The user's key stays with the client (here: this program); the server gets the public key.
        SecretKey user = SecretKey.generate();

        // --8<-- [start:embedding]
        NostrP2PServer.Builder builder = NostrP2PServer.builder()
                .publicKey(user.publicKey())          // identity; peer name = its last 6 bytes
                .listen(host, port)                   // the overlay; REST on port + 1
                .bootstrapPeers(peers);               // servers to join through
        if (dataDirectory != null) {
            builder.dataDirectory(dataDirectory);     // default: ./<key-derived name>
        }
        NostrP2PServer server = builder.build();
        server.start();                               // binds, joins, serves REST
        // --8<-- [end:embedding]
        System.out.println("peer name " + server.peerName() + ", overlay " + server.overlayAddress()
                + ", REST " + server.restUrl());

        RestClient client = new RestClient(server.restUrl());
        Event post = Events.sign(user, Instant.now().getEpochSecond(), 1, List.of(), "hello from an embedded server");
        RestClient.PublishAnswer answer = client.publish(post);
        System.out.println("published " + post.idHex() + ": " + (answer.stored() ? "stored" : answer.reason()));
        for (Event event : client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":20}")) {
            System.out.println("timeline: " + event.pubkeyHex().substring(0, 8) + " " + event.content());
        }

        if (once) {
            server.stop();
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }));
        stopped.await();
    }
}
