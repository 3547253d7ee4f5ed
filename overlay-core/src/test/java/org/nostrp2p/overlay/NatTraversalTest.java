package org.nostrp2p.overlay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NAT crossing, the point of the overlay: two private networks, each behind a masquerading
 * router (nftables), and one public peer. Peers in different private networks cannot dial each
 * other; they reach each other through the public peer, for unicast and broadcast alike.
 *
 * <pre>
 *   h1 (10.203.1.2, two routers) -- nat1 --+
 *                                          +-- pub (10.202.0.1, one router)
 *   h2 (10.203.2.2, one router)  -- nat2 --+
 * </pre>
 *
 * Each host runs its routers in a child JVM in its own network namespace. Skipped, with the
 * reason, where namespaces or nftables are not available.
 */
class NatTraversalTest {
    private static final String PUBLIC = "10.202.0.1";
    private static final String MASQUERADE = """
            table ip np2pnat {
              chain postrouting {
                type nat hook postrouting priority 100; policy accept;
                oifname "%s" masquerade
              }
            }
            """;

    private NetnsLab lab;
    private final List<ChildCluster> children = new ArrayList<>();
    private String pub;
    private String h1;
    private String h2;

    @BeforeEach
    void makeTwoPrivateNetworksBehindMasqueradingRouters() {
        NetnsLab.unavailableReason(true).ifPresent(reason -> Assumptions.abort("NAT test skipped: " + reason));
        lab = new NetnsLab("np2pn");
        pub = lab.host("pub");
        String nat1 = lab.host("nat1");
        String nat2 = lab.host("nat2");
        h1 = lab.host("h1");
        h2 = lab.host("h2");
        lab.in(pub, "ip", "addr", "add", PUBLIC + "/32", "dev", "lo");
        lab.link(pub, "10.202.1.1/24", nat1, "10.202.1.2/24");
        lab.link(pub, "10.202.2.1/24", nat2, "10.202.2.2/24");
        lab.link(nat1, "10.203.1.1/24", h1, "10.203.1.2/24");
        lab.link(nat2, "10.203.2.1/24", h2, "10.203.2.2/24");
        for (String[] nat : new String[][] {{nat1, "10.202.1.1"}, {nat2, "10.202.2.1"}}) {
            lab.in(nat[0], "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            lab.in(nat[0], "ip", "route", "add", "default", "via", nat[1]);
            String outside = lab.in(nat[0], "ip", "-o", "route", "get", nat[1]).split(" dev ")[1].split(" ")[0];
            lab.nft(nat[0], MASQUERADE.formatted(outside));
        }
        lab.in(h1, "ip", "route", "add", "default", "via", "10.203.1.1");
        lab.in(h2, "ip", "route", "add", "default", "via", "10.203.2.1");
    }

    @AfterEach
    void tearDown() {
        children.forEach(ChildCluster::close);
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void peersBehindTwoNatsReachEachOtherThroughThePublicPeer() {
        // The private networks really are private: h1 cannot open a connection into h2's.
        assertThrows(IllegalStateException.class,
                () -> lab.in(h1, "bash", "-c", "exec 3<>/dev/tcp/10.203.2.2/7300", "probe"));

        ChildCluster hub = child("nat-pub", pub, "0.0.0.0", 1, "0a:00:00:00:0c");
        ChildCluster first = child("nat-h1", h1, "10.203.1.2", 2, "0a:00:00:00:0d");
        ChildCluster second = child("nat-h2", h2, "10.203.2.2", 1, "0a:00:00:00:0e");
        String hubAddress = PUBLIC + ":7300";
        first.connect(0, hubAddress);
        first.connect(1, hubAddress);
        second.connect(0, hubAddress);
        Set<String> everyone = new HashSet<>();
        for (ChildCluster c : children) {
            everyone.addAll(c.names());
        }
        await("all four routers reach each other").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> PartitionHealTest.everyReaches(hub, everyone) && PartitionHealTest.everyReaches(first, everyone)
                        && PartitionHealTest.everyReaches(second, everyone));

        // No direct link crosses the NATs: h2's router is linked to the public peer only.
        for (ChildCluster.View view : second.views()) {
            assertEquals(Set.of(hub.name(0)), view.connections(), "h2's router can only be reached through the public peer");
        }
        for (ChildCluster.View view : first.views()) {
            assertFalse(view.connections().contains(second.name(0)), "no connection crosses two NATs");
        }

        first.unicast(1, second.name(0), "through-the-hub");
        second.unicast(0, first.name(0), "and-back");
        second.broadcast(0, "to-everyone");
        await("unicasts and a broadcast cross both NATs").atMost(Duration.ofSeconds(20))
                .until(() -> second.count(0, "unicast", "through-the-hub") == 1
                        && first.count(0, "unicast", "and-back") == 1
                        && PartitionHealTest.receivedByAllBut(first, -1, "to-everyone")
                        && hub.count(0, "broadcast", "to-everyone") == 1);
    }

    private ChildCluster child(String label, String namespace, String host, int count, String prefix) {
        ChildCluster child = ChildCluster.start(label, namespace, host, 7300, count, prefix);
        children.add(child);
        return child;
    }
}
