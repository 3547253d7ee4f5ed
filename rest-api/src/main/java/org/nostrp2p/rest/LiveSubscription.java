package org.nostrp2p.rest;

/** A registration made with {@link RestBackend#subscribe}; closing it stops the notifications. */
@FunctionalInterface
public interface LiveSubscription extends AutoCloseable {

    /** Unregisters the listener; idempotent, never throws. */
    @Override
    void close();
}
