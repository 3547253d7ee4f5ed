package org.nostrp2p.cli;

import java.util.List;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.codec.EventJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nostrp2p repost <note|id>}: a kind 6 repost, carrying the reposted post, broadcast to every server. */
@Command(name = "repost", mixinStandardHelpOptions = true, description = "Repost a post to everyone.")
final class RepostCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "POST", description = "note1..., nevent1... or 64 hex.")
    String target;

    @Override
    int run(Session session) {
        Event original = session.event(target);
        Event repost = session.publish(6, List.of(List.of("e", original.idHex(), ""), List.of("p", original.pubkeyHex())),
                EventJson.write(original));
        out().println("Reposted: " + repost.idHex());
        return 0;
    }
}
