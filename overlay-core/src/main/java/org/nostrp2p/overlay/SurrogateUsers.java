package org.nostrp2p.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Beyond mesh: which connections have sent on each channel this peer relays without a
 * gossiper of its own (a surrogate channel). Mesh keeps a surrogate channel, and the state
 * its senders merged, for as long as the process runs; here the router drops it when the
 * last connection that used it closes. Thread-safe.
 */
final class SurrogateUsers {

    private final Map<String, Set<Connection>> usersByChannel = new HashMap<>();
    private final Map<Connection, Set<String>> channelsByUser = new HashMap<>();

    /** {@code from} sent on surrogate channel {@code channel}. */
    synchronized void used(String channel, Connection from) {
        if (usersByChannel.computeIfAbsent(channel, c -> new HashSet<>()).add(from)) {
            channelsByUser.computeIfAbsent(from, c -> new HashSet<>()).add(channel);
        }
    }

    /** @return the channels whose last user was {@code gone}, which the router may drop */
    synchronized List<String> released(Connection gone) {
        Set<String> channels = channelsByUser.remove(gone);
        if (channels == null) {
            return List.of();
        }
        List<String> unused = new ArrayList<>();
        for (String channel : channels) {
            Set<Connection> users = usersByChannel.get(channel);
            if (users != null && users.remove(gone) && users.isEmpty()) {
                usersByChannel.remove(channel);
                unused.add(channel);
            }
        }
        return unused;
    }

    /** The application registered {@code channel}: it is no longer a surrogate. */
    synchronized void forget(String channel) {
        Set<Connection> users = usersByChannel.remove(channel);
        if (users != null) {
            for (Connection c : users) {
                Set<String> channels = channelsByUser.get(c);
                if (channels != null && channels.remove(channel) && channels.isEmpty()) {
                    channelsByUser.remove(c);
                }
            }
        }
    }
}
