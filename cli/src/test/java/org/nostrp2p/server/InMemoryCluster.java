package org.nostrp2p.server;

import java.nio.file.Path;

/** Servers over an {@link InMemoryNetwork}: the application protocol without TCP. */
final class InMemoryCluster extends Cluster {

    final InMemoryNetwork network = new InMemoryNetwork();

    InMemoryCluster(Path root) {
        super(root);
    }

    @Override
    NostrP2PServer.Builder overlay(NostrP2PServer.Builder builder, Node node) {
        return builder.restAddress("127.0.0.1", 0).overlayFactory(server -> network.join(server.peerName()));
    }

    @Override
    public void close() {
        super.close();
        network.close();
    }
}
