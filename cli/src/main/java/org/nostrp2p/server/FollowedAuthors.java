package org.nostrp2p.server;

import java.util.Set;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.EventKind;
import org.nostrp2p.model.Events;
import org.nostrp2p.store.EventStore;

/**
 * The owner and the authors the owner's newest follow list names: whose events are admitted
 * from any neighbour without a budget. Read from the store at start and whenever the owner
 * publishes a follow list. Thread-safe.
 */
final class FollowedAuthors {

    private final String ownerHex;
    private final EventStore store;
    private volatile Set<String> authors;

    FollowedAuthors(String ownerHex, EventStore store) {
        this.ownerHex = ownerHex;
        this.store = store;
        refresh();
    }

    /** Reads the owner's newest follow list again. */
    void refresh() {
        var followed = new java.util.HashSet<String>();
        followed.add(ownerHex);
        store.latestReplaceable(ownerHex, EventKind.FOLLOW_LIST.number()).ifPresent(list -> {
            for (var tag : list.tags()) {
                if (tag.size() >= 2 && tag.get(0).equals("p") && Events.isHex64(tag.get(1))) {
                    followed.add(tag.get(1).toLowerCase(java.util.Locale.ROOT));
                }
            }
        });
        authors = Set.copyOf(followed);
    }

    /** @return whether the event's author is the owner or someone the owner follows */
    boolean contains(Event event) {
        return authors.contains(event.pubkeyHex());
    }

    /** @return how many authors (the owner included) */
    int size() {
        return authors.size();
    }
}
