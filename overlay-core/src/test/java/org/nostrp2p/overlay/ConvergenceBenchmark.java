package org.nostrp2p.overlay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.overlay.name.PeerName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How long {@code peers} Java peers, each joining through the previous one (a chain, the
 * hardest start for mesh), take until every peer knows every other and has a confirmed route
 * to it. All in one JVM on loopback, so the figure includes starting the routers.
 * Run: {@code mvn -B -Pbench -pl overlay-core verify -DskipTests -Dbench=ConvergenceBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvergenceBenchmark {

    @Param({"64"})
    public int peers;

    @Param({"8"})
    public int degree;

    private final List<Router> routers = new ArrayList<>();

    @Benchmark
    public int chainConverges() throws InterruptedException {
        for (int i = 0; i < peers; i++) {
            Router router = Router.builder().name(new PeerName(0x0c0000000000L + i)).nickName("p" + i)
                    .listen("127.0.0.1", 0).targetDegree(degree).ioThreads(1).build();
            router.start();
            if (i > 0) {
                router.connect(List.of("127.0.0.1:" + routers.get(i - 1).port()));
            }
            routers.add(router);
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!converged()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no convergence in 2 minutes");
            }
            Thread.sleep(20);
        }
        return routers.size();
    }

    private boolean converged() {
        for (Router a : routers) {
            RoutingState state = a.localPeer.state();
            for (Router b : routers) {
                if (a != b && (state.routes().unicast(b.name()).isEmpty()
                        || state.routes().topology().peer(b.name()).summary().uid() == 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    @TearDown(Level.Invocation)
    public void stop() {
        routers.forEach(Router::stop);
        routers.clear();
    }
}
