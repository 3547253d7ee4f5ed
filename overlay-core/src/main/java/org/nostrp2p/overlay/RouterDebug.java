package org.nostrp2p.overlay;

/** Temporary: prints internal counters. */
public final class RouterDebug {
    private RouterDebug() {
    }

    public static void print(Router r, java.io.PrintStream out) {
        RouterCounters c = r.counters;
        RouterStatus st = r.status();
        out.printf("version=%d terminations=%d targets=%s%n", st.version(), st.terminationCount(),
                st.targets().stream().map(t -> t.state() + ":" + t.lastError()).toList());
        out.printf("%s conns=%d msgsSent=%d entries=%d own=%d corrections=%d dump=%d bytes=%d received=%d applied=%d%n",
                r.nickName(), r.connectionCount(), c.topologyMessagesSent.sum(), c.topologyEntriesSent.sum(),
                c.ownEntriesSent.sum(), c.correctionsSent.sum(), c.dumpEntriesSent.sum(), c.topologyBytesSent.sum(),
                c.topologyMessagesReceived.sum(), c.topologyUpdatesApplied.sum());
    }
}
