package org.nostrp2p.cli;

import java.util.List;
import java.util.Map;
import org.nostrp2p.model.Event;
import org.nostrp2p.rest.ReqFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nostrp2p notifications}: replies, mentions, reposts and likes addressed to you, oldest first. */
@Command(name = "notifications", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show replies, mentions and likes addressed to you.")
final class NotificationsCommand extends ClientCommand {

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many of the latest (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(Session session) {
        String me = session.me();
        ReqFilter toMe = new ReqFilter(null, null, List.of(1, 6, 7), Map.of('p', List.of(me)), null, null, (long) Math.max(1, limit) * 2);
        List<Event> events = new java.util.ArrayList<>(session.fetch(toMe).stream().filter(e -> !e.pubkeyHex().equals(me))
                .limit(Math.max(1, limit)).toList());
        java.util.Collections.reverse(events);
        if (events.isEmpty()) {
            out().println("(nothing addressed to you yet)");
            return 0;
        }
        session.names(events.stream().map(Event::pubkeyHex).toList());
        for (Event event : events) {
            String who = session.display(event.pubkeyHex());
            String what = switch (event.kind()) {
                case 7 -> "liked your post " + shortId(Timeline.firstTag(event, "e"));
                case 6 -> "reposted your post " + shortId(Timeline.firstTag(event, "e"));
                default -> event.tags().stream().anyMatch(t -> !t.isEmpty() && t.get(0).equals("q")) ? "quoted you"
                        : Timeline.parentOf(event) != null ? "replied" : "mentioned you";
            };
            out().println(who + " · " + Timeline.relative(event.createdAt()) + " · " + what);
            if (event.kind() == 1) {
                out().println("  " + event.content().replace("\n", "\n  "));
            }
            out().println("  id " + event.idHex());
        }
        return 0;
    }

    private static String shortId(String id) {
        return id == null ? "" : id.substring(0, 8) + "…";
    }
}
