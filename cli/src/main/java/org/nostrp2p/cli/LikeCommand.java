package org.nostrp2p.cli;

import java.util.List;
import org.nostrp2p.model.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nostrp2p like <note|id>}: a kind 7 {@code +}, unicast to the liked author's server only. */
@Command(name = "like", mixinStandardHelpOptions = true, description = "Like a post (only its author learns of it).")
final class LikeCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "POST", description = "note1..., nevent1... or 64 hex.")
    String target;

    @Override
    int run(Session session) {
        Event liked = session.event(target);
        Event like = session.publish(7, List.of(List.of("e", liked.idHex()), List.of("p", liked.pubkeyHex())), "+");
        out().println("Liked a post of " + session.display(liked.pubkeyHex()) + ": " + like.idHex());
        return 0;
    }
}
