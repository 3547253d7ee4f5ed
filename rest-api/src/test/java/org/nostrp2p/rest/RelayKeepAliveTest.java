package org.nostrp2p.rest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.rest.client.RelayClient;
import org.nostrp2p.store.SqliteEventStore;

/**
 * A relay subscription outlives the REST port's idle timeout: a client that only listens sends
 * nothing, so the relay pings it, and the pong counts as activity. Without that, the idle
 * timeout that frees slots held by silent HTTP connections would cut every quiet subscriber.
 */
class RelayKeepAliveTest {

    private static final Duration IDLE = Duration.ofSeconds(2);

    private final SecretKey owner = SecretKey.generate();
    private final SqliteEventStore store = SqliteEventStore.inMemory();
    private RestServer server;
    private RelayClient relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (server != null) {
            server.stop();
        }
        store.close();
    }

    @Test
    void aQuietSubscriberStaysConnectedPastTheIdleTimeoutAndStillGetsLiveEvents() throws Exception {
        RestLimits limits = RestLimits.defaults().withTimeouts(IDLE, IDLE, IDLE);
        StoreBackend backend = new StoreBackend(store, owner.publicKey().toHex());
        server = RestServer.builder().backend(backend).listen("127.0.0.1", 0).limits(limits).build();
        server.start();
        relay = RelayClient.connect(server.url());
        List<Event> live = new CopyOnWriteArrayList<>();
        relay.subscribe(List.of(ReqFilter.ofKinds(1)), new RelayClient.Listener() {
            @Override
            public void event(Event event) {
                live.add(event);
            }
        });

        // Three idle timeouts with nothing from the client.
        await().pollDelay(IDLE.multipliedBy(3)).atMost(IDLE.multipliedBy(4)).until(() -> true);
        assertFalse(relay.closed().isDone(), () -> "the relay dropped a quiet subscriber: " + relay.closed().getNow(""));

        Event post = Events.sign(owner, System.currentTimeMillis() / 1000, 1, List.of(), "still there");
        backend.receive(post);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.size() == 1);
        assertEquals(post.idHex(), live.get(0).idHex());
    }
}
