package org.nostrp2p.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nostrp2p.model.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code nostrp2p follow <npub>} and (as {@link Unfollow}) {@code unfollow <npub>}: a new follow
 * list (kind 3, {@code ["p",hex,"",""]} per followee, kept on your server only) with one
 * person more or less; the rest of the list and its content are kept.
 */
@Command(name = "follow", mixinStandardHelpOptions = true, description = "Follow someone (npub1... or hex).")
class FollowCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NPUB", description = "Who: npub1... or 64 hex.")
    String who;

    boolean following() {
        return true;
    }

    @Override
    int run(Session session) {
        String person = Session.parsePublicKey(who);
        Optional<Event> current = session.followList(session.me());
        List<String> followed = new ArrayList<>(Session.followed(current));
        boolean changed = following() ? !followed.contains(person) && followed.add(person) : followed.remove(person);
        String name = session.display(person);
        if (!changed) {
            out().println(following() ? "You already follow " + name + "." : "You do not follow " + name + ".");
            return 0;
        }
        List<List<String>> tags = new ArrayList<>();
        followed.forEach(p -> tags.add(List.of("p", p, "", "")));
        session.publish(3, tags, current.map(Event::content).orElse(""), current.orElse(null));
        out().println((following() ? "Now following " : "No longer following ") + name + " (" + followed.size() + " followed).");
        return 0;
    }

    /** {@code nostrp2p unfollow <npub>}. */
    @Command(name = "unfollow", mixinStandardHelpOptions = true, description = "Stop following someone (npub1... or hex).")
    static final class Unfollow extends FollowCommand {
        @Override
        boolean following() {
            return false;
        }
    }
}
