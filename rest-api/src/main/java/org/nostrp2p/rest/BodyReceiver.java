package org.nostrp2p.rest;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Reads a request body without holding a thread: Undertow's receiver collects the bytes on
 * the I/O thread as they arrive, so a client that sends headers and a few bytes of a body
 * and then nothing costs a connection (capped per address), never one of the worker threads
 * that answer everyone. The whole body must arrive within a deadline, however slowly it
 * trickles; past it, the connection is closed.
 */
final class BodyReceiver {

    /** What to do with a complete body; runs on the I/O thread, so it should dispatch blocking work. */
    interface OnBody {
        void accept(HttpServerExchange exchange, byte[] body);
    }

    /** What to do with a body over the limit; an answer may still be sent. */
    interface OnTooLarge {
        void accept(HttpServerExchange exchange);
    }

    private BodyReceiver() {
    }

    /**
     * Starts receiving. Exactly one of {@code onBody} and {@code onTooLarge} runs, or neither
     * when the connection fails or the deadline passes (the connection is then closed).
     */
    static void receive(HttpServerExchange exchange, int maxBytes, long deadlineMillis, OnBody onBody, OnTooLarge onTooLarge) {
        AtomicBoolean finished = new AtomicBoolean();
        XnioExecutor.Key deadline = exchange.getIoThread().executeAfter(() -> {
            if (finished.compareAndSet(false, true)) {
                exchange.setPersistent(false);
                IoUtils.safeClose(exchange.getConnection());
            }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
        Receiver receiver = exchange.getRequestReceiver();
        receiver.setMaxBufferSize(maxBytes);
        receiver.receiveFullBytes((ex, body) -> {
            if (finished.compareAndSet(false, true)) {
                deadline.remove();
                onBody.accept(ex, body);
            }
        }, (ex, failure) -> {
            if (finished.compareAndSet(false, true)) {
                deadline.remove();
                if (isTooLarge(failure)) {
                    onTooLarge.accept(ex);
                } else {
                    ex.setPersistent(false);
                    IoUtils.safeClose(ex.getConnection());
                }
            }
        });
    }

    private static boolean isTooLarge(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RequestTooBigException || t instanceof Receiver.RequestToLargeException) {
                return true;
            }
        }
        return false;
    }
}
