package org.nostrp2p.cli;

import java.util.List;
import org.nostrp2p.model.crypto.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nostrp2p following [npub]}: who you (or someone) follow, with their names. */
@Command(name = "following", mixinStandardHelpOptions = true, description = "List whom you follow.")
final class FollowingCommand extends ClientCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NPUB", description = "Whose list (default: yours).")
    String who;

    @Override
    int run(Session session) {
        String person = who == null ? session.me() : Session.parsePublicKey(who);
        List<String> followed = Session.followed(session.followList(person));
        if (followed.isEmpty()) {
            out().println(who == null ? "You follow nobody yet (nostrp2p follow npub1...)." : "No follow list found.");
            return 0;
        }
        session.names(followed);
        for (String p : followed) {
            String name = session.names(List.of(p)).getOrDefault(p, "");
            out().println(PublicKey.parse(p).toNpub() + (name.isBlank() ? "" : "  " + name));
        }
        return 0;
    }
}
