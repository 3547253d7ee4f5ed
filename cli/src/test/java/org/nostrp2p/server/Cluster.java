package org.nostrp2p.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.crypto.SecretKey;

/** Several NostrP2P servers, each a user with a key, a data directory and a REST client. */
abstract class Cluster implements AutoCloseable {

    /** One user and the server running for them. */
    static final class Node {
        final String name;
        final SecretKey key = SecretKey.generate();
        final Path dataDirectory;
        int overlayPort;
        NostrP2PServer server;
        RestClient client;

        Node(String name, Path dataDirectory) {
            this.name = name;
            this.dataDirectory = dataDirectory;
        }

        String pubkey() {
            return key.publicKey().toHex();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final Path root;
    final List<Node> nodes = new ArrayList<>();
    List<Duration> catchUpAttempts = List.of(Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(3));
    /** More settings for every server started from now on (tests of limits and budgets). */
    java.util.function.UnaryOperator<NostrP2PServer.Builder> settings = builder -> builder;

    Cluster(Path root) {
        this.root = root;
    }

    /** Fills in how this cluster's servers reach each other. */
    abstract NostrP2PServer.Builder overlay(NostrP2PServer.Builder builder, Node node);

    Node start(String name) {
        Node node = new Node(name, root.resolve(name));
        nodes.add(node);
        start(node);
        return node;
    }

    void start(Node node) {
        NostrP2PServer.Builder builder = NostrP2PServer.builder().publicKey(node.key.publicKey())
                .dataDirectory(node.dataDirectory).resendInterval(Duration.ofMillis(200))
                .catchUpAttempts(catchUpAttempts);
        node.server = settings.apply(overlay(builder, node)).build();
        node.server.start();
        node.client = new RestClient(node.server.restUrl());
    }

    void stop(Node node) {
        node.server.stop();
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.server != null) {
                node.server.stop();
            }
        }
    }
}
