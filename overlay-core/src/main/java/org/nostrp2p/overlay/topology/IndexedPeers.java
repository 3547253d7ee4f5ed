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

    /** The names in ascending order and their numbers, shared by snapshots with the same names. */
    final NameIndex index;
    /** The view of the name numbered {@code i} at {@code i}; owned by this map. */
    final Topology.PeerView[] views;

    IndexedPeers(NameIndex index, Topology.PeerView[] views) {
        if (index.size() != views.length) {
            throw new IllegalArgumentException(index.size() + " names, " + views.length + " views");
        }
        this.index = index;
        this.views = views;
    }

    @Override
    public Topology.PeerView get(Object name) {
        int i = index.indexOf(name);
        return i < 0 ? null : views[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return index.indexOf(name) >= 0;
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
                        return new SimpleImmutableEntry<>(index.name(i), views[i]);
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
