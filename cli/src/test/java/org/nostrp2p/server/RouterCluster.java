package org.nostrp2p.server;

import java.nio.file.Path;
import java.util.List;

/** Servers over real mesh routers on loopback, each on a free port, all joining through the first. */
final class RouterCluster extends Cluster {

    RouterCluster(Path root) {
        super(root);
    }

    @Override
    NostrP2PServer.Builder overlay(NostrP2PServer.Builder builder, Node node) {
        builder.listen("127.0.0.1", node.overlayPort);
        Node first = nodes.get(0);
        if (first != node && first.server != null) {
            builder.bootstrapPeers(List.of(first.server.overlayAddress()));
        }
        return builder;
    }

    @Override
    void start(Node node) {
        super.start(node);
        // A restarted server comes back on the port it had, where the others look for it.
        node.overlayPort = Integer.parseInt(node.server.overlayAddress().substring(node.server.overlayAddress().lastIndexOf(':') + 1));
    }
}
