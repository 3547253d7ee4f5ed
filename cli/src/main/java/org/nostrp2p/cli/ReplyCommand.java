package org.nostrp2p.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nostrp2p.model.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code nostrp2p reply <note|id> TEXT}: replies to a post. It finds the post, its thread's
 * root and everyone in the conversation itself (NIP-10 marked {@code e} tags, {@code p} tags),
 * and the server unicasts the reply to each of their servers.
 */
@Command(name = "reply", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reply to a post (note1..., nevent1... or hex id).")
final class ReplyCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "POST", description = "The post replied to: note1..., nevent1... or 64 hex.")
    String target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The reply.")
    List<String> words = new ArrayList<>();

    @Override
    int run(Session session) {
        Event parent = session.event(target);
        Event reply = session.publish(1, tags(parent, session.me()), String.join(" ", words));
        out().println("Replied to " + session.display(parent.pubkeyHex()) + ": " + reply.idHex());
        return 0;
    }

    /** NIP-10: the root (marked), the parent (marked reply, when not the root), then every p of the thread. */
    static List<List<String>> tags(Event parent, String me) {
        String root = Timeline.rootOf(parent);
        List<List<String>> tags = new ArrayList<>();
        if (root == null || root.equals(parent.idHex())) {
            tags.add(List.of("e", parent.idHex(), "", "root"));
        } else {
            tags.add(List.of("e", root, "", "root"));
            tags.add(List.of("e", parent.idHex(), "", "reply"));
        }
        Set<String> people = new LinkedHashSet<>();
        people.add(parent.pubkeyHex());
        parent.tags().stream().filter(t -> t.size() >= 2 && t.get(0).equals("p") && t.get(1).length() == 64)
                .forEach(t -> people.add(t.get(1).toLowerCase()));
        people.remove(me);
        people.forEach(p -> tags.add(List.of("p", p)));
        return tags;
    }
}
