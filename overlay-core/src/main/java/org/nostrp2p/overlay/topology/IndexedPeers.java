package org.nostrp2p.overlay.topology;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.nostrp2p.overlay.name.PeerName;

/**
 * The peers of a {@link Topology} snapshot as {@link Peers} publishes it: an immutable map
 * over arrays in name order. Successive snapshots with the same set of names share the names
 * and their index, so taking one copies an array of N references instead of hashing N names
 * into a new map, and {@link RouteMap} sees by identity that the numbering is unchanged.
 */
final class IndexedPeers extends AbstractMap<PeerName, Topology.PeerView> {

    /** The names in ascending order, shared by snapshots with the same names; never modified. */
    final PeerName[] names;
    /** Each name's position in {@link #names}; shared likewise; never modified. */
    final Map<PeerName, Integer> index;
    /** The view of {@code names[i]} at {@code i}; owned by this map. */
    final Topology.PeerView[] views;

    IndexedPeers(PeerName[] names, Map<PeerName, Integer> index, Topology.PeerView[] views) {
        if (names.length != views.length || index.size() != names.length) {
            throw new IllegalArgumentException(names.length + " names, " + index.size() + " indexed, " + views.length + " views");
        }
        this.names = names;
        this.index = index;
        this.views = views;
    }

    @Override
    public Topology.PeerView get(Object name) {
        Integer i = index.get(name);
        return i == null ? null : views[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return index.containsKey(name);
    }

    @Override
    public int size() {
        return views.length;
    }

    @Override
    public Collection<Topology.PeerView> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Topology.PeerView> iterator() {
                return new IndexCursor<>(views.length) {
                    @Override
                    Topology.PeerView at(int i) {
                        return views[i];
                    }
                };
            }

            @Override
            public int size() {
                return views.length;
            }
        };
    }

    @Override
    public Set<Entry<PeerName, Topology.PeerView>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<PeerName, Topology.PeerView>> iterator() {
                return new IndexCursor<>(views.length) {
                    @Override
                    Entry<PeerName, Topology.PeerView> at(int i) {
                        return new SimpleImmutableEntry<>(names[i], views[i]);
                    }
                };
            }

            @Override
            public int size() {
                return views.length;
            }
        };
    }
}
