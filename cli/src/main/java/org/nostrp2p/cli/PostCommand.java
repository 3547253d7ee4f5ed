package org.nostrp2p.cli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.nostrp2p.model.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nostrp2p post "text"}: signs a post with the user's secret key and publishes it
 * through the user's server (which broadcasts it to every server), as the Flutter client does.
 */
@Command(name = "post", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sign a post with your secret key and publish it through your server.")
final class PostCommand extends ClientCommand {

    /** The environment variable holding the secret key when --nsec is not given. */
    static final String NSEC_VARIABLE = ClientOptions.NSEC_VARIABLE;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "What to post (several words are joined with spaces).")
    List<String> words = new ArrayList<>();

    @Option(names = "--profile", description = "Publish TEXT as your profile's name instead of a post (see also: profile set).")
    boolean profile;

    @Option(names = "--reply-to", paramLabel = "event-id",
            description = "Reply to this post (64 hex) without looking it up, e.g. on a Go server; use with --reply-author. "
                    + "On a NostrP2P for the JVM server, `reply` finds the author and root itself.")
    String replyTo;

    @Option(names = "--reply-author", paramLabel = "npub|hex", description = "The public key of the post replied to.")
    String replyAuthor;

    @Override
    int run(Session session) {
        String text = String.join(" ", words);
        if (profile) {
            Event event = ProfileCommand.publishProfile(session, text, null, null);
            out().println("Profile published: " + event.idHex());
            return 0;
        }
        List<List<String>> tags = List.of();
        if (replyTo != null || replyAuthor != null) {
            if (replyTo == null || replyAuthor == null) {
                throw new ClientOptions.UserError("--reply-to and --reply-author go together (the post's id and its author's key).");
            }
            String id = HexFormat.of().formatHex(Session.parseEventReference(replyTo).id());
            tags = List.of(List.of("e", id, "", "root"), List.of("p", Session.parsePublicKey(replyAuthor)));
        }
        Event event = session.publish(1, tags, text);
        out().println("Posted: " + event.idHex());
        return 0;
    }
}
