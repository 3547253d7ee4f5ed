package org.nostrp2p.overlay.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.topology.Peers;
import org.nostrp2p.overlay.topology.Routes;

class OverlaySimulationTest {

    @Test
    void theSameSeedGivesTheSameFiguresToTheLastByte() {
        Simulation.Config config = Simulation.Config.defaults(7);

        String first = OverlaySimulation.fromScratch(30, OverlaySimulation.Join.RANDOM, config).json();
        String again = OverlaySimulation.fromScratch(30, OverlaySimulation.Join.RANDOM, config).json();

        assertEquals(first, again);
        assertEquals(OverlaySimulation.joinOne(200, config).json(), OverlaySimulation.joinOne(200, config).json());
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        String one = OverlaySimulation.fromScratch(30, OverlaySimulation.Join.RANDOM, Simulation.Config.defaults(1)).json();
        String two = OverlaySimulation.fromScratch(30, OverlaySimulation.Join.RANDOM, Simulation.Config.defaults(2)).json();

        assertNotEquals(one.replace("\"seed\":1", ""), two.replace("\"seed\":2", ""));
    }

    @Test
    void everySimulatedViewGivesOverlayCoresRoutesToEveryPeer() {
        int n = 40;
        Simulation sim = OverlaySimulation.scratch(n, OverlaySimulation.Join.STAR, Simulation.Config.defaults(3));

        for (int p = 0; p < n; p++) {
            SimPeer peer = sim.peers[p];
            var own = sim.entry(p, sim.latest[p]);
            Peers peers = new Peers(own.peer());
            peers.setOwnConnections(own.connections().stream()
                    .collect(java.util.stream.Collectors.toMap(c -> c.name(), c -> c)));
            peers.applyUpdate(peer.knownEntries());
            assertEquals(n, Routes.of(peers.snapshot()).unicastAllTable().size(), "peer " + p + " routes to every peer");
            if (p > 0) { // the hub keeps every spoke's bootstrap link, as a real seed does; optional links overshoot a little
                assertTrue(peer.degree() <= 2 * sim.config.degree(), "peer " + p + " has " + peer.degree() + " links");
            }
        }
    }

    @Test
    void oneJoinReachesEveryViewWithoutPeriodicGossip() {
        OverlaySimulation.Report report = OverlaySimulation.joinOne(500, Simulation.Config.defaults(5));

        assertTrue(report.convergeMillis() > 0, report.json());
        assertTrue(report.rounds() >= 3, report.json());
    }

    @Test
    void aHealedPartitionReconvergesThroughPeriodicGossip() {
        Simulation.Config config = new Simulation.Config(11, 50, 0, 6, 30_000);

        OverlaySimulation.Report report = OverlaySimulation.partitionAndHeal(100, 5_000, config);

        assertTrue(report.lost() > 0, "the cut lost messages: " + report.json());
        assertTrue(report.convergeMillis() > 5_000, report.json());
    }

    @Test
    void aJoinStillReachesEveryViewWhenFivePercentOfMessagesAreLost() {
        Simulation.Config lossy = new Simulation.Config(17, 50, 0.05, 6, 10_000);

        OverlaySimulation.Report report = OverlaySimulation.joinOne(200, lossy);

        assertTrue(report.lost() > 0, report.json());
        assertTrue(report.convergeMillis() > 0, "converged: " + report.json());
    }

    @Test
    void theSafetyNetSendsTheWholeTopologyToOneNeighbourEverySixRounds() {
        Simulation.Config config = new Simulation.Config(13, 50, 0, 6, 10_000);

        OverlaySimulation.Report report = OverlaySimulation.idle(50, 60_000, config);

        // nothing changed, so only the sixth round sends: the whole topology to one neighbour,
        // its own entry as tag 6 and every other one in one tag-4 message
        assertEquals(1.0, report.ownMessagesPerPeer(), 0.01, report.json());
        assertEquals(2.0, report.messagesPerPeer(), 0.01, report.json());
    }

    @Test
    void aBroadcastOnASettledOverlayReachesEveryPeerOnce() {
        OverlaySimulation.BroadcastReport report = OverlaySimulation.broadcast(300, 5, Simulation.Config.defaults(9));

        assertEquals(0, report.unreached(), report.json());
        assertEquals(1, report.maxReceived(), report.json());
    }
}
