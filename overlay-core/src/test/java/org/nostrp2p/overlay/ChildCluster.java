package org.nostrp2p.overlay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@link ClusterNodeMain} child JVM, possibly inside a network namespace, driven from a test:
 * it sends commands and collects the child's events. Its standard error goes to
 * {@code target/fault-logs/NAME.log}.
 */
final class ChildCluster implements AutoCloseable {

    /** A router's view as the child last printed it. */
    record View(int index, String name, Set<String> known, Set<String> reach, Set<String> connections) {
    }

    /** A message a router of the child received. */
    record Received(int index, String kind, String source, String text) {
    }

    private final String label;
    private final Process process;
    private final Writer commands;
    private final List<String> names = new CopyOnWriteArrayList<>();
    private final List<String> addresses = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<List<View>> statuses = new LinkedBlockingQueue<>();
    private final Map<Integer, View> pending = new ConcurrentHashMap<>();

    private ChildCluster(String label, Process process) {
        this.label = label;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readEvents, "child-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code count} routers in a child JVM, inside {@code namespace} unless it is null,
     * and waits until each listens.
     */
    static ChildCluster start(String label, String namespace, String host, int basePort, int count, String namePrefix) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, ClusterNodeMain.class.getName(), host, Integer.toString(basePort), Integer.toString(count),
                namePrefix));
        if (namespace != null) {
            command = NetnsLab.wrap(namespace, command);
        }
        Path logs = Path.of("target", "fault-logs");
        try {
            java.nio.file.Files.createDirectories(logs);
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(label + ".log").toFile()))
                    .start();
            ChildCluster child = new ChildCluster(label, process);
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                        .pollInterval(java.time.Duration.ofMillis(20))
                        .until(() -> child.names.size() >= count || !process.isAlive());
            } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
                // reported below
            }
            if (child.names.size() < count) {
                child.close();
                throw new IllegalStateException("child " + label + " did not start its " + count
                        + " routers; see " + logs.resolve(label + ".log").toAbsolutePath());
            }
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start child " + label + ": " + e.getMessage(), e);
        }
    }

    String name(int index) {
        return names.get(index);
    }

    List<String> names() {
        return List.copyOf(names);
    }

    String address(int index) {
        return addresses.get(index);
    }

    void connect(int index, String address) {
        send("connect " + index + " " + address);
    }

    void broadcast(int index, String text) {
        send("broadcast " + index + " " + text);
    }

    void unicast(int index, String destination, String text) {
        send("unicast " + index + " " + destination + " " + text);
    }

    /** @return every running router's view, fresh from the child */
    List<View> views() {
        statuses.clear();
        send("status");
        try {
            List<View> views = statuses.poll(20, TimeUnit.SECONDS);
            if (views == null) {
                throw new IllegalStateException("child " + label + " did not answer a status request");
            }
            return views;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** @return how many times router {@code index} received {@code text} as {@code kind} */
    long count(int index, String kind, String text) {
        return received.stream().filter(r -> r.index() == index && r.kind().equals(kind) && r.text().equals(text)).count();
    }

    int size() {
        return names.size();
    }

    private void send(String command) {
        try {
            synchronized (commands) {
                commands.write(command + "\n");
                commands.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException("child " + label + " is gone: " + e.getMessage(), e);
        }
    }

    private void readEvents() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.split(" ", 5);
                switch (words[0]) {
                    case "READY" -> {
                        names.add(words[2]);
                        addresses.add(words[3]);
                    }
                    case "RECV" -> received.add(new Received(Integer.parseInt(words[1]), words[2], words[3],
                            words.length > 4 ? words[4] : ""));
                    case "STATUS" -> {
                        String[] fields = line.split(" ");
                        pending.put(Integer.parseInt(fields[1]), new View(Integer.parseInt(fields[1]), fields[2],
                                field(fields[3]), field(fields[4]), field(fields[5])));
                    }
                    case "STATUS-END" -> {
                        statuses.add(pending.values().stream().sorted((a, b) -> a.index() - b.index()).toList());
                        pending.clear();
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // the child ended
        }
    }

    private static Set<String> field(String keyEqualsList) {
        String value = keyEqualsList.substring(keyEqualsList.indexOf('=') + 1);
        return value.isEmpty() ? Set.of() : Arrays.stream(value.split(",")).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("quit");
            } catch (RuntimeException gone) {
                // already closed
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
