package org.nostrp2p.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.SecretKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nostrp2p post "text"}: signs a post (or a reply, or a profile) with the user's secret
 * key and publishes it through the user's server's REST API, as the Flutter client does.
 */
@Command(name = "post", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sign a post with your secret key and publish it through your server.")
final class PostCommand implements Callable<Integer> {

    /** The environment variable holding the secret key when --nsec is not given. */
    static final String NSEC_VARIABLE = "NOSTRP2P_NSEC";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "What to post (several words are joined with spaces).")
    List<String> words = new ArrayList<>();

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:20001",
            description = "Your server's REST API (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--nsec", paramLabel = "nsec|hex",
            description = "Your secret key (default: the " + NSEC_VARIABLE + " environment variable).")
    String nsec;

    @Option(names = "--reply-to", paramLabel = "event-id", description = "Reply to this post (64 hex); use with --reply-author.")
    String replyTo;

    @Option(names = "--reply-author", paramLabel = "npub|hex", description = "The public key of the post replied to.")
    String replyAuthor;

    @Option(names = "--profile", description = "Publish TEXT as your profile's name instead of a post.")
    boolean profile;

    /** Where the secret key comes from when --nsec is absent (tests replace it). */
    UnaryOperator<String> environment = System::getenv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String keyText = nsec != null ? nsec : environment.apply(NSEC_VARIABLE);
        if (keyText == null || keyText.isBlank()) {
            err.println("No secret key: give --nsec or set " + NSEC_VARIABLE + " (make a key pair with: nostrp2p genkey).");
            return 2;
        }
        SecretKey key;
        try {
            key = SecretKey.parse(keyText.trim());
        } catch (IllegalArgumentException e) {
            err.println("The secret key is not usable: " + e.getMessage());
            return 2;
        }
        String text = String.join(" ", words);
        long now = Instant.now().getEpochSecond();
        Event event;
        if (profile) {
            String json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("name", text).put("about", "").put("picture", "").toString();
            event = Events.sign(key, now, 0, List.of(), json);
        } else if (replyTo != null) {
            if (replyAuthor == null) {
                err.println("--reply-to needs --reply-author (the public key of the post's author).");
                return 2;
            }
            String author;
            try {
                author = org.nostrp2p.model.crypto.PublicKey.parse(replyAuthor.trim()).toHex();
            } catch (IllegalArgumentException e) {
                err.println("--reply-author: " + e.getMessage());
                return 2;
            }
            event = Events.sign(key, now, 1, List.of(List.of("e", replyTo.toLowerCase(), "", "root"), List.of("p", author)), text);
        } else {
            event = Events.sign(key, now, 1, List.of(), text);
        }
        RestClient.PublishAnswer answer;
        try {
            answer = new RestClient(server).publish(event);
        } catch (UncheckedIOException e) {
            err.println("Cannot reach your server at " + server + ": " + e.getCause().getMessage());
            return 1;
        }
        if (!answer.stored()) {
            err.println("The server refused it (" + answer.status() + "): " + answer.reason());
            return 1;
        }
        out.println((profile ? "Profile published: " : "Posted: ") + event.idHex());
        out.flush();
        return 0;
    }
}
