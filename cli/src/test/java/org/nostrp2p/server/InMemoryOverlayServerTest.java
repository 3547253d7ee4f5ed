package org.nostrp2p.server;

import java.nio.file.Path;

/** The scenarios over the in-memory overlay: the application protocol alone. */
class InMemoryOverlayServerTest extends ServerScenarios {

    @Override
    Cluster newCluster(Path root) {
        return new InMemoryCluster(root);
    }
}
