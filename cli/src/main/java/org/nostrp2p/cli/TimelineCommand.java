package org.nostrp2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.crypto.PublicKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostrp2p timeline}: the latest events your server has, oldest first, with authors'
 * names where their profiles are known; {@code --follow} keeps polling as the Flutter client
 * does (every 10 s, the range since the last poll).
 */
@Command(name = "timeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the latest posts your server has.")
final class TimelineCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:20001",
            description = "Your server's REST API (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many of the latest events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = {"-f", "--follow"}, description = "Keep showing new events, polling every 10 s, until Ctrl-C.")
    boolean follow;

    private final Map<String, String> names = new HashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RestClient client = new RestClient(server);
        try {
            long until = Instant.now().getEpochSecond();
            List<Event> events = client.req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":" + Math.max(1, limit) + "}");
            print(client, events, out);
            if (events.isEmpty() && !follow) {
                out.println("(no posts yet)");
            }
            out.flush();
            while (follow) {
                Thread.sleep(10_000);
                long now = Instant.now().getEpochSecond();
                print(client, client.req("{\"kinds\":[40000],\"since\":" + (until + 1) + ",\"until\":" + now + ",\"limit\":-1}"), out);
                out.flush();
                until = now;
            }
            return 0;
        } catch (UncheckedIOException e) {
            err.println("Cannot reach your server at " + server + ": " + e.getCause().getMessage());
            return 1;
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private void print(RestClient client, List<Event> events, PrintWriter out) {
        Set<String> unknown = new LinkedHashSet<>();
        for (Event event : events) {
            if (!names.containsKey(event.pubkeyHex())) {
                unknown.add(event.pubkeyHex());
            }
        }
        if (!unknown.isEmpty()) {
            StringBuilder authors = new StringBuilder();
            unknown.forEach(a -> authors.append(authors.length() == 0 ? "" : ",").append('"').append(a).append('"'));
            for (Event profile : client.req("{\"kinds\":[0],\"authors\":[" + authors + "]}")) {
                names.put(profile.pubkeyHex(), profileName(profile));
            }
        }
        for (Event event : events) {
            out.println(TIME.format(Instant.ofEpochSecond(event.createdAt())) + "  " + author(event.pubkeyHex()) + "  " + describe(event));
        }
    }

    private String author(String pubkeyHex) {
        String name = names.get(pubkeyHex);
        String npub = PublicKey.parse(pubkeyHex).toNpub();
        String shortNpub = npub.substring(0, 12) + "…";
        return name == null || name.isBlank() ? shortNpub : name + " (" + shortNpub + ")";
    }

    private static String describe(Event event) {
        String firstE = event.tags().stream().filter(t -> t.size() >= 2 && t.get(0).equals("e")).map(t -> t.get(1)).findFirst().orElse(null);
        return switch (event.kind()) {
            case 0 -> "updated their profile: " + profileName(event);
            case 3 -> "updated their follow list (" + event.tags().size() + " followed)";
            case 6 -> "reposted " + (firstE == null ? "a post" : firstE.substring(0, 12) + "…");
            case 7 -> "liked " + (firstE == null ? "a post" : firstE.substring(0, 12) + "…");
            case 1 -> {
                boolean quote = event.tags().stream().anyMatch(t -> !t.isEmpty() && t.get(0).equals("q"));
                String prefix = firstE == null ? "" : quote ? "[quote " + firstE.substring(0, 8) + "…] " : "[reply to " + firstE.substring(0, 8) + "…] ";
                yield prefix + event.content().replace("\n", "\n" + " ".repeat(21));
            }
            default -> "kind " + event.kind() + ": " + event.content();
        };
    }

    private static String profileName(Event profile) {
        try {
            JsonNode node = JSON.readTree(profile.content());
            return node != null && node.hasNonNull("name") ? node.get("name").asText() : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
