package org.nostrp2p.overlay.topology;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over positions 0..size-1 of an immutable array-backed collection (the views of
 * {@link IndexedPeers} and {@link LinkMap}); removal is not supported.
 */
abstract class IndexCursor<T> implements Iterator<T> {

    private final int size;
    private int next;

    IndexCursor(int size) {
        this.size = size;
    }

    /** @return the element at position {@code i} */
    abstract T at(int i);

    @Override
    public boolean hasNext() {
        return next < size;
    }

    @Override
    public T next() {
        if (next >= size) {
            throw new NoSuchElementException();
        }
        return at(next++);
    }
}
