package org.nostrp2p.overlay;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.nostrp2p.overlay.name.PeerName;

/**
 * A child process that runs a few routers for the fault tests: started by {@link ChildCluster},
 * often inside a network namespace, so that a test can cut, firewall or NAT the links between
 * groups of real routers. Commands come one per line on standard input; events go to standard
 * output, one per line:
 *
 * <pre>
 *   in:  connect I HOST:PORT | broadcast I TEXT | unicast I DEST TEXT | status | stop I | quit
 *   out: READY I NAME HOST:PORT
 *        RECV I broadcast|unicast SOURCE TEXT
 *        STATUS I NAME known=N1,N2 reach=N1,N2 conns=N1,N2   (one per running router) then STATUS-END
 * </pre>
 *
 * Arguments: {@code HOST BASE_PORT COUNT NAME_PREFIX}; router {@code i} is named
 * {@code NAME_PREFIX:%02x(i)} and listens on {@code HOST:(BASE_PORT + i)}.
 */
public final class ClusterNodeMain {

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int basePort = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        String prefix = args[3];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

        List<Router> routers = new ArrayList<>();
        List<Gossip> gossips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            Router router = Router.builder()
                    .name(PeerName.parse(String.format("%s:%02x", prefix, i)))
                    .nickName(prefix.replace(":", "") + i)
                    .listen(host, basePort + i)
                    .build();
            Gossiper gossiper = new Gossiper() {

                @Override
                public GossipData onGossipBroadcast(PeerName source, byte[] update) {
                    synchronized (out) {
                        out.println("RECV " + index + " broadcast " + source + " " + new String(update, StandardCharsets.UTF_8));
                    }
                    return GossipData.ofMessages(update);
                }

                @Override
                public void onGossipUnicast(PeerName source, byte[] message) {
                    synchronized (out) {
                        out.println("RECV " + index + " unicast " + source + " " + new String(message, StandardCharsets.UTF_8));
                    }
                }
            };
            gossips.add(router.newGossip(JavaPeer.CHANNEL, gossiper));
            router.start();
            routers.add(router);
            synchronized (out) {
                out.println("READY " + i + " " + router.name() + " " + host + ":" + router.port());
            }
        }

        java.util.Set<Integer> stopped = new java.util.HashSet<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ", 4);
            try {
                switch (words[0]) {
                    case "connect" -> routers.get(Integer.parseInt(words[1])).connect(List.of(words[2]));
                    case "broadcast" -> gossips.get(Integer.parseInt(words[1]))
                            .gossipBroadcast(GossipData.ofMessages(line.trim().split(" ", 3)[2].getBytes(StandardCharsets.UTF_8)));
                    case "unicast" -> gossips.get(Integer.parseInt(words[1]))
                            .gossipUnicast(PeerName.parse(words[2]), words[3].getBytes(StandardCharsets.UTF_8));
                    case "status" -> printStatus(routers, stopped, out);
                    case "stop" -> {
                        int i = Integer.parseInt(words[1]);
                        stopped.add(i);
                        routers.get(i).stop();
                    }
                    case "quit" -> {
                        routers.forEach(Router::stop);
                        return;
                    }
                    default -> System.err.println("unknown command: " + line);
                }
            } catch (RuntimeException e) {
                System.err.println("command failed: " + line + ": " + e);
            }
        }
        routers.forEach(Router::stop);
    }

    private static void printStatus(List<Router> routers, java.util.Set<Integer> stopped, PrintStream out) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < routers.size(); i++) {
            Router router = routers.get(i);
            if (stopped.contains(i)) {
                continue;
            }
            RouterStatus status = router.status();
            String known = status.peers().stream().filter(p -> p.uid() != 0 && !p.name().equals(status.name()))
                    .map(p -> p.name().toString()).collect(Collectors.joining(","));
            String reach = status.unicastRoutes().keySet().stream().map(PeerName::toString).collect(Collectors.joining(","));
            String conns = status.connections().stream().filter(RouterStatus.ConnectionStatus::established)
                    .map(c -> c.name().toString()).collect(Collectors.joining(","));
            lines.add("STATUS " + i + " " + status.name() + " known=" + known + " reach=" + reach + " conns=" + conns);
        }
        synchronized (out) {
            lines.forEach(out::println);
            out.println("STATUS-END");
        }
    }
}
