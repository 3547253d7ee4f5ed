package org.nostrp2p.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.codec.EventJson;

/**
 * How the CLI shows events: author names, relative times, what each kind is, and replies
 * threaded under the post they answer when both are shown.
 */
final class Timeline {

    private final Session session;
    private final PrintWriter out;

    Timeline(Session session, PrintWriter out) {
        this.session = session;
        this.out = out;
    }

    /** Prints events oldest first, each reply under its parent when the parent is among them. */
    void print(List<Event> events) {
        List<Event> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(Event::createdAt).thenComparing(Event::idHex));
        session.names(ordered.stream().map(Event::pubkeyHex).toList());
        Map<String, Event> byId = new LinkedHashMap<>();
        ordered.forEach(e -> byId.put(e.idHex(), e));
        Map<String, List<Event>> children = new HashMap<>();
        List<Event> top = new ArrayList<>();
        for (Event event : ordered) {
            String parent = event.kind() == 1 ? parentOf(event) : null;
            if (parent != null && byId.containsKey(parent) && !parent.equals(event.idHex())) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(event);
            } else {
                top.add(event);
            }
        }
        for (Event event : top) {
            printThread(event, children, 0);
        }
        out.flush();
    }

    private void printThread(Event event, Map<String, List<Event>> children, int depth) {
        printOne(event, depth);
        for (Event child : children.getOrDefault(event.idHex(), List.of())) {
            printThread(child, children, Math.min(depth + 1, 8));
        }
    }

    /** Prints one event at an indentation level. */
    void printOne(Event event, int depth) {
        String indent = "    ".repeat(depth) + (depth > 0 ? "↳ " : "");
        out.println(indent + session.display(event.pubkeyHex()) + " · " + relative(event.createdAt()) + " · " + describe(event));
        String body = body(event);
        if (!body.isEmpty()) {
            String pad = "    ".repeat(depth) + (depth > 0 ? "  " : "") + "  ";
            out.println(pad + body.replace("\n", "\n" + pad));
        }
        out.println("    ".repeat(depth) + (depth > 0 ? "  " : "") + "  id " + event.idHex());
        out.flush();
    }

    private String describe(Event event) {
        String firstE = firstTag(event, "e");
        String firstP = firstTag(event, "p");
        return switch (event.kind()) {
            case 0 -> "updated their profile";
            case 3 -> "updated their follow list";
            case 6 -> "reposted" + (firstP == null ? "" : " " + session.display(firstP));
            case 7 -> "liked a post" + (firstE == null ? "" : " " + firstE.substring(0, 8) + "…");
            case 1 -> {
                if (event.tags().stream().anyMatch(t -> !t.isEmpty() && t.get(0).equals("q"))) {
                    yield "quoted" + (firstP == null ? "" : " " + session.display(firstP));
                }
                String parent = parentOf(event);
                yield parent != null ? "replied to " + parent.substring(0, 8) + "…"
                        : firstP != null ? "mentioned " + session.display(firstP) : "posted";
            }
            default -> "kind " + event.kind();
        };
    }

    private static String body(Event event) {
        return switch (event.kind()) {
            case 0, 3, 7 -> "";
            case 6 -> {
                try {
                    Event original = EventJson.parse(event.content());
                    yield "“" + abbreviate(original.content()) + "”";
                } catch (RuntimeException e) {
                    yield "";
                }
            }
            default -> event.content();
        };
    }

    /** @return NIP-10's root of a reply: the e tag marked root, else the first e tag; null when none */
    static String rootOf(Event event) {
        String marked = event.tags().stream().filter(t -> t.size() >= 4 && t.get(0).equals("e") && t.get(3).equals("root"))
                .map(t -> t.get(1)).findFirst().orElse(null);
        return marked != null ? marked : unmarkedE(event, true);
    }

    /** @return the post a reply answers: marked reply, else marked root, else the last unmarked e; null for a non-reply */
    static String parentOf(Event event) {
        if (event.tags().stream().anyMatch(t -> !t.isEmpty() && t.get(0).equals("q"))) {
            return null;
        }
        String reply = event.tags().stream().filter(t -> t.size() >= 4 && t.get(0).equals("e") && t.get(3).equals("reply"))
                .map(t -> t.get(1)).findFirst().orElse(null);
        if (reply != null) {
            return reply;
        }
        String root = event.tags().stream().filter(t -> t.size() >= 4 && t.get(0).equals("e") && t.get(3).equals("root"))
                .map(t -> t.get(1)).findFirst().orElse(null);
        return root != null ? root : unmarkedE(event, false);
    }

    private static String unmarkedE(Event event, boolean first) {
        List<String> ids = event.tags().stream()
                .filter(t -> t.size() >= 2 && t.get(0).equals("e") && (t.size() < 4 || t.get(3).isEmpty()))
                .map(t -> t.get(1)).toList();
        return ids.isEmpty() ? null : first ? ids.get(0) : ids.get(ids.size() - 1);
    }

    static String firstTag(Event event, String name) {
        return event.tags().stream().filter(t -> t.size() >= 2 && t.get(0).equals(name) && t.get(1).length() == 64)
                .map(t -> t.get(1).toLowerCase()).findFirst().orElse(null);
    }

    /** @return "just now", "5m ago", "3h ago", "2d ago", or the date for older */
    static String relative(long createdAt) {
        long seconds = Instant.now().getEpochSecond() - createdAt;
        if (seconds < 0) {
            return "in the future";
        }
        if (seconds < 60) {
            return "just now";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m ago";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h ago";
        }
        if (seconds < 30 * 86_400) {
            return seconds / 86_400 + "d ago";
        }
        return Instant.ofEpochSecond(createdAt).toString().substring(0, 10);
    }

    static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= 80 ? line : line.substring(0, 80) + "…";
    }
}
