package org.nostrp2p.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.crypto.PublicKey;
import org.nostrp2p.rest.ReqFilter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nostrp2p profile set|show}: your profile (kind 0, broadcast to every server), or anyone's. */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Set or show a profile.",
        subcommands = {ProfileCommand.Set.class, ProfileCommand.Show.class})
final class ProfileCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /**
     * Publishes a profile, keeping the fields of the current one that are not given.
     *
     * @param name    the new name, or {@code null} to keep it
     * @param about   the new about, or {@code null}
     * @param picture the new picture URL, or {@code null}
     */
    static Event publishProfile(Session session, String name, String about, String picture) {
        ObjectNode content = JSON.createObjectNode();
        List<Event> current = session.fetch(new ReqFilter(null, List.of(session.me()), List.of(0), Map.of(), null, null, null));
        if (!current.isEmpty()) {
            try {
                if (JSON.readTree(current.get(0).content()) instanceof ObjectNode old) {
                    content = old;
                }
            } catch (IOException e) {
                // an unreadable old profile is replaced
            }
        }
        for (String field : new String[] {"name", "about", "picture"}) {
            if (!content.has(field)) {
                content.put(field, "");
            }
        }
        if (name != null) {
            content.put("name", name);
        }
        if (about != null) {
            content.put("about", about);
        }
        if (picture != null) {
            content.put("picture", picture);
        }
        return session.publish(0, List.of(), content.toString(), current.isEmpty() ? null : current.get(0));
    }

    /** {@code profile set --name --about --picture}. */
    @Command(name = "set", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Publish your profile; fields not given keep their value.")
    static final class Set extends ClientCommand {
        @Option(names = "--name", description = "Your name.")
        String name;

        @Option(names = "--about", description = "A line about you.")
        String about;

        @Option(names = "--picture", paramLabel = "URL", description = "Your picture's URL.")
        String picture;

        @Override
        int run(Session session) {
            if (name == null && about == null && picture == null) {
                throw new ClientOptions.UserError("Give at least one of --name, --about, --picture.");
            }
            Event event = publishProfile(session, name, about, picture);
            out().println("Profile published: " + event.idHex());
            return 0;
        }
    }

    /** {@code profile show [npub]}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show your profile or someone's.")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NPUB", description = "Whose (default: yours).")
        String who;

        @Override
        int run(Session session) {
            String person = who == null ? session.me() : Session.parsePublicKey(who);
            List<Event> profiles = session.fetch(who == null ? Duration.ZERO : Session.FETCH_WAIT, 1,
                    new ReqFilter(null, List.of(person), List.of(0), Map.of(), null, null, null));
            out().println("npub:     " + PublicKey.parse(person).toNpub());
            if (profiles.isEmpty()) {
                out().println("(no profile found" + (who == null ? "; set one with: nostrp2p profile set --name NAME)" : ")"));
                return who == null ? 0 : 1;
            }
            Event profile = profiles.get(0);
            out().println("name:     " + Session.profileField(profile, "name"));
            out().println("about:    " + Session.profileField(profile, "about"));
            out().println("picture:  " + Session.profileField(profile, "picture"));
            out().println("updated:  " + Timeline.relative(profile.createdAt()));
            return 0;
        }
    }
}
