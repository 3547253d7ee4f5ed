package org.nostrp2p.cli;

import java.util.ArrayList;
import java.util.List;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.nip19.Nip19;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code nostrp2p quote <note|id> TEXT}: a post quoting another (the Flutter client's shape:
 * {@code ["e",id,"","mention"],["p",author],["q"]}, plus a {@code nostr:note1...} link in the
 * text for standard clients), broadcast to every server.
 */
@Command(name = "quote", mixinStandardHelpOptions = true, description = "Post a comment quoting a post.")
final class QuoteCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "POST", description = "note1..., nevent1... or 64 hex.")
    String target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "Your comment.")
    List<String> words = new ArrayList<>();

    @Override
    int run(Session session) {
        Event quoted = session.event(target);
        String text = String.join(" ", words) + "\n\nnostr:" + Nip19.encodeNote(quoted.id());
        Event quote = session.publish(1, List.of(List.of("e", quoted.idHex(), "", "mention"),
                List.of("p", quoted.pubkeyHex()), List.of("q")), text);
        out().println("Quoted: " + quote.idHex());
        return 0;
    }
}
