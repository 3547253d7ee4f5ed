package org.nostrp2p.overlay.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The simulator's full run (minutes, gigabytes at 10,000 peers), skipped by {@code mvn verify};
 * run it by hand:
 * <pre>
 *   mvn -B -pl overlay-core -am test -Dtest=OverlaySimulationRun -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dsimulation=true [-Dsimulation.seed=1] [-Dsimulation.scratch=40,100] [-Dsimulation.settled=1000,10000]
 * </pre>
 * It prints {@link OverlaySimulation#main}'s JSON lines.
 */
class OverlaySimulationRun {

    @Test
    @EnabledIfSystemProperty(named = "simulation", matches = "true")
    void printsTheFiguresOfDocsOverlayMd() {
        OverlaySimulation.main(new String[] {
            System.getProperty("simulation.seed", "1"),
            System.getProperty("simulation.scratch", "40,100"),
            System.getProperty("simulation.settled", "1000,10000"),
            System.getProperty("simulation.scratch1000", "true")});
    }
}
