package org.nostrp2p.server;

import java.nio.file.Path;

/** The scenarios over real mesh routers (overlay-core) on loopback: the server as it runs. */
class RouterOverlayServerTest extends ServerScenarios {

    @Override
    Cluster newCluster(Path root) {
        return new RouterCluster(root);
    }
}
