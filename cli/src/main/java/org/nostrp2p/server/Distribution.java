package org.nostrp2p.server;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nostrp2p.model.Event;
import org.nostrp2p.overlay.PeerName;

/**
 * Who an event is for (DESIGN §6): posts, quote reposts, reposts and profiles are for every
 * server; a reply, a mention or a like only for the servers of the users it tags; a follow
 * list for none (it is answered only to a follow-list request). A catch-up answer follows
 * the same rule, so a server that was offline gets what it would have got online.
 */
final class Distribution {

    private Distribution() {
    }

    /** @return whether {@code event} is broadcast to every server */
    static boolean isBroadcast(Event event) {
        return switch (event.kind()) {
            case 0, 6 -> true;
            case 1 -> taggedUsers(event).isEmpty() || isQuote(event);
            case 3, 7 -> false;
            default -> true;
        };
    }

    /** @return whether {@code event} is meant for the server named {@code server} */
    static boolean reaches(Event event, PeerName server) {
        if (isBroadcast(event)) {
            return true;
        }
        if (event.kind() == 3) {
            return false;
        }
        for (String user : taggedUsers(event)) {
            if (PacketSender.serverOf(user).equals(server)) {
                return true;
            }
        }
        return false;
    }

    /** The users an event names in {@code p} tags (64 hex, lowercase), its author excluded. */
    static Set<String> taggedUsers(Event event) {
        Set<String> users = new LinkedHashSet<>();
        String author = event.pubkeyHex();
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).equals("p") && isHex64(tag.get(1))) {
                String user = tag.get(1).toLowerCase();
                if (!user.equals(author)) {
                    users.add(user);
                }
            }
        }
        return users;
    }

    static boolean isQuote(Event event) {
        return event.tags().stream().anyMatch(t -> !t.isEmpty() && t.get(0).equals("q"));
    }

    static boolean isHex64(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
