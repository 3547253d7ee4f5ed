package org.nostrp2p.overlay.topology;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.ConnectionSummary;

/**
 * A peer's links by remote name, as one array sorted by name: what {@link Peers} stores for
 * every entry. A router holding a 500-peer topology holds about 3,000 links; as hash maps
 * (a map, its table, a node per link and the views it caches) a 500-router benchmark JVM held
 * three million objects for them, which every young collection copied. Lookups scan the few
 * links a peer has, or search the sorted array of a long list. Immutable (every mutator
 * throws), so snapshots share it.
 */
final class LinkMap extends AbstractMap<PeerName, ConnectionSummary> {

    static final LinkMap EMPTY = new LinkMap(new ConnectionSummary[0]);
    /** Up to this many links a lookup scans; beyond, it searches. */
    private static final int SCAN_LIMIT = 8;

    private final ConnectionSummary[] links;

    private LinkMap(ConnectionSummary[] links) {
        this.links = links;
    }

    /** @return the links by name; of two with one name the later wins, as a map's put */
    static LinkMap of(Collection<ConnectionSummary> connections) {
        if (connections.isEmpty()) {
            return EMPTY;
        }
        ConnectionSummary[] sorted = connections.toArray(new ConnectionSummary[0]);
        // stable: of equal names the later stays later, and is the one kept below
        Arrays.sort(sorted, (a, b) -> Long.compare(a.name().value(), b.name().value()));
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (n > 0 && sorted[n - 1].name().value() == sorted[i].name().value()) {
                sorted[n - 1] = sorted[i];
            } else {
                sorted[n++] = sorted[i];
            }
        }
        return new LinkMap(n == sorted.length ? sorted : Arrays.copyOf(sorted, n));
    }

    @Override
    public ConnectionSummary get(Object key) {
        if (!(key instanceof PeerName name)) {
            return null;
        }
        long value = name.value();
        ConnectionSummary[] all = links;
        if (all.length <= SCAN_LIMIT) {
            for (ConnectionSummary link : all) {
                if (link.name().value() == value) {
                    return link;
                }
            }
            return null;
        }
        int low = 0;
        int high = all.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = all[mid].name().value();
            if (at < value) {
                low = mid + 1;
            } else if (at > value) {
                high = mid - 1;
            } else {
                return all[mid];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return links.length;
    }

    @Override
    public boolean isEmpty() {
        return links.length == 0;
    }

    /** @return the links, in name order (a view, not a copy) */
    @Override
    public Collection<ConnectionSummary> values() {
        return new AbstractList<>() {
            @Override
            public ConnectionSummary get(int index) {
                return links[index];
            }

            @Override
            public int size() {
                return links.length;
            }
        };
    }

    @Override
    public Set<PeerName> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<PeerName> iterator() {
                return new IndexCursor<>(links.length) {
                    @Override
                    PeerName at(int index) {
                        return links[index].name();
                    }
                };
            }

            @Override
            public boolean contains(Object o) {
                return containsKey(o);
            }

            @Override
            public int size() {
                return links.length;
            }
        };
    }

    @Override
    public Set<Map.Entry<PeerName, ConnectionSummary>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<PeerName, ConnectionSummary>> iterator() {
                return new IndexCursor<>(links.length) {
                    @Override
                    Map.Entry<PeerName, ConnectionSummary> at(int index) {
                        return new SimpleImmutableEntry<>(links[index].name(), links[index]);
                    }
                };
            }

            @Override
            public int size() {
                return links.length;
            }
        };
    }
}
