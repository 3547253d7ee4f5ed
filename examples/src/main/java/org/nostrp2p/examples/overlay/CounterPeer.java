package org.nostrp2p.examples.overlay;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.nostrp2p.overlay.Gossip;
import org.nostrp2p.overlay.GossipData;
import org.nostrp2p.overlay.Gossiper;
import org.nostrp2p.overlay.MembershipListener;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.Router;
import org.nostrp2p.overlay.RouterStatus;

/**
 * A replicated increment-only counter over a weaveworks/mesh overlay, embedding only
 * overlay-core (the idea of mesh's examples/increment-only-counter, with its own byte format).
 * Go mesh peers in the same overlay relay its messages as they relay any channel they do not
 * know.
 *
 * <p>Run two in two terminals, then type {@code inc}, {@code get}, {@code status}, {@code counters}, {@code quit}:
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.mainClass=org.nostrp2p.examples.overlay.CounterPeer \
 *     -Dexec.args="--name 02:00:00:00:00:01 --listen 127.0.0.1:6001"
 * mvn -q -pl examples compile exec:java -Dexec.mainClass=org.nostrp2p.examples.overlay.CounterPeer \
 *     -Dexec.args="--name 02:00:00:00:00:02 --listen 127.0.0.1:6002 --peer 127.0.0.1:6001"
 * </pre>
 */
public final class CounterPeer implements Gossiper, AutoCloseable {

    /** The gossip channel the counter uses. */
    public static final String CHANNEL = "increment-only-counter";

    private final Router router;
    private final Gossip gossip;
    private final IncrementOnlyCounter counter = new IncrementOnlyCounter();
    private final java.util.Set<PeerName> members = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // --8<-- [start:embedding]
    /** Starts a counter peer listening on {@code host:port} (port 0: any free port). */
    public CounterPeer(PeerName name, String host, int port, List<String> peers) {
        router = Router.builder()
                .name(name)
                .nickName("counter-" + name)
                .listen(host, port)
                .connLimit(64)
                .peerDiscovery(true)
                .build();
        gossip = router.newGossip(CHANNEL, this);   // this implements Gossiper
        router.addMembershipListener(new MembershipListener() {  // one thread, in order
            @Override
            public void peerJoined(PeerName peer, String nickName) {
                members.add(peer);
            }

            @Override
            public void peerLeft(PeerName peer) {
                members.remove(peer);
            }
        });
        router.start();                              // returns once the port is bound
        router.connect(peers);                       // keeps (re)connecting to these
    }

    /** @return the peers reachable now, as the membership listener heard them join and leave */
    public java.util.Set<PeerName> members() {
        return java.util.Set.copyOf(members);
    }

    /** Adds one to this peer's count and tells every peer. */
    public void increment() {
        IncrementOnlyCounter update;
        synchronized (counter) {
            counter.increment(router.name());
            update = counter.copy();
        }
        gossip.gossipBroadcast(update);              // along this peer's broadcast tree
    }

    @Override
    public GossipData gossip() {                     // periodic gossip: the whole state
        synchronized (counter) {
            return counter.copy();
        }
    }

    @Override
    public GossipData onGossip(byte[] message) {     // merge; pass on only what was new
        synchronized (counter) {
            return counter.mergeDelta(IncrementOnlyCounter.decode(message));
        }
    }

    @Override
    public GossipData onGossipBroadcast(PeerName source, byte[] update) {
        IncrementOnlyCounter received = IncrementOnlyCounter.decode(update);
        synchronized (counter) {
            counter.mergeDelta(received);
        }
        return received;                             // relayed down the source's tree
    }

    @Override
    public void onGossipUnicast(PeerName source, byte[] message) {
        synchronized (counter) {
            counter.mergeDelta(IncrementOnlyCounter.decode(message));
        }
    }
    // --8<-- [end:embedding]

    /** @return the counter's total as this peer knows it */
    public long total() {
        synchronized (counter) {
            return counter.total();
        }
    }

    /** @return the router, for its address and status */
    public Router router() {
        return router;
    }

    /**
     * @return what an operator reads off the router's counters (all since it started): frames and
     *     bytes each way, application broadcasts relayed for others, topology messages each way and
     *     route tables computed
     */
    public String counters() {
        RouterStatus.Counters c = router.status().counters();
        return String.format(java.util.Locale.ROOT,
                "frames sent %d (%d bytes), received %d (%d bytes); broadcasts relayed %d; topology messages sent %d,"
                        + " received %d; route tables computed %d",
                c.framesSent(), c.bytesSent(), c.framesReceived(), c.bytesReceived(), c.broadcastsRelayed(),
                c.topologyMessagesSent(), c.topologyMessagesReceived(), c.routeRecomputations());
    }

    @Override
    public void close() {
        router.stop();
    }

    /**
     * {@code --name aa:bb:cc:dd:ee:ff [--listen host:port] [--peer host:port]...}; then
     * commands on stdin: {@code inc}, {@code get}, {@code status}, {@code counters}, {@code quit}.
     */
    public static void main(String[] args) throws Exception {
        PeerName name = null;
        String host = "0.0.0.0";
        int port = Router.DEFAULT_PORT;
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--name" -> name = PeerName.parse(value);
                case "--listen" -> {
                    PeerAddress listen = PeerAddress.parse(value);
                    host = listen.host();
                    port = listen.port();
                }
                case "--peer" -> peers.add(value);
                default -> {
                    System.err.println("usage: CounterPeer --name aa:bb:cc:dd:ee:ff [--listen host:port] [--peer host:port]...");
                    System.exit(2);
                }
            }
            i++;
        }
        if (name == null) {
            System.err.println("--name aa:bb:cc:dd:ee:ff is required");
            System.exit(2);
        }
        try (CounterPeer peer = new CounterPeer(name, host, port, peers)) {
            System.out.println("counter peer " + name + " listening on " + peer.router().listenAddress()
                    + "; commands: inc, get, status, counters, quit");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.trim()) {
                    case "inc" -> {
                        peer.increment();
                        System.out.println("total " + peer.total());
                    }
                    case "get" -> System.out.println("total " + peer.total());
                    case "status" -> peer.router().status().peers().forEach(p ->
                            System.out.println(p.name() + " (" + p.nickName() + ") connections=" + p.connections().size()));
                    case "counters" -> System.out.println(peer.counters());
                    case "quit" -> {
                        return;
                    }
                    case "" -> {
                    }
                    default -> System.out.println("commands: inc, get, status, counters, quit");
                }
            }
        }
    }
}
