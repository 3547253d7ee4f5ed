package org.nostrp2p.server;

import java.util.Set;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventKind;
import org.nostrp2p.model.Events;
import org.nostrp2p.overlay.name.PeerName;

/**
 * Which servers an event goes to, by its {@link EventKind.Audience} (DESIGN §6): posts, quote
 * reposts, reposts and profiles every server; a reply, a mention or a like the servers of the
 * users it tags; a follow list none (it is answered only to a follow-list request). A catch-up
 * answer follows the same rule, so a server that was offline gets what it would have got online.
 */
final class Distribution {

    private Distribution() {
    }

    /** @return whether {@code event} is broadcast to every server */
    static boolean isBroadcast(Event event) {
        return EventKind.audienceOf(event) == EventKind.Audience.EVERY_SERVER;
    }

    /** @return whether {@code event} is meant for the server named {@code server} */
    static boolean reaches(Event event, PeerName server) {
        return switch (EventKind.audienceOf(event)) {
            case EVERY_SERVER -> true;
            case OWN_SERVER -> false;
            case TAGGED_USERS -> taggedUsers(event).stream().anyMatch(user -> PacketSender.serverOf(user).equals(server));
        };
    }

    /** The users an event names in {@code p} tags (64 hex, lowercase), its author excluded. */
    static Set<String> taggedUsers(Event event) {
        return Events.taggedUsers(event);
    }

    static boolean isHex64(String text) {
        return Events.isHex64(text);
    }
}
