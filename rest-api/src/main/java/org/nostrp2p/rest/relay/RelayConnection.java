package org.nostrp2p.rest.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.codec.CodecException;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.rest.PublishResult;
import org.nostrp2p.rest.ReqFilter;
import org.nostrp2p.rest.RestBackend;
import org.nostrp2p.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One client's WebSocket to the relay: reads NIP-01 messages, handles them one at a time in
 * order on Undertow's worker threads (they may block on the store), and writes answers and
 * live events without blocking. Every limit of {@link RelayLimits} is enforced here.
 */
final class RelayConnection {

    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The kinds NostrP2P carries; a standard client's others (5, 10002, 30023, ...) are refused with a reason. */
    static final Set<Integer> CARRIED_KINDS = Set.of(0, 1, 3, 6, 7);

    private final WebSocketChannel channel;
    private final RestBackend backend;
    private final boolean writable;
    private final Consumer<RelayConnection> onClose;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final SerialQueue inbound;
    private final EventBucket eventBucket = new EventBucket();
    private final long pingMillis;
    private volatile boolean closed;

    /** @param pingInterval how often a ping keeps a quiet client's connection alive, zero for never */
    RelayConnection(WebSocketChannel channel, RestBackend backend, boolean writable, Duration pingInterval,
                    Consumer<RelayConnection> onClose) {
        this.channel = channel;
        this.pingMillis = pingInterval.toMillis();
        this.backend = backend;
        this.writable = writable;
        this.onClose = onClose;
        this.inbound = new SerialQueue(channel.getWorker());
    }

    void start() {
        channel.addCloseTask(ch -> {
            closed = true;
            subscriptions.clear();
            onClose.accept(this);
        });
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected long getMaxTextBufferSize() {
                return RelayLimits.MAX_MESSAGE_BYTES;
            }

            @Override
            protected long getMaxBinaryBufferSize() {
                return RelayLimits.MAX_MESSAGE_BYTES;
            }

            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                String text = message.getData();
                // Undertow's buffer bound is approximate (whole buffers); the limit itself is checked here.
                if (text.length() > RelayLimits.MAX_MESSAGE_BYTES
                        || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > RelayLimits.MAX_MESSAGE_BYTES) {
                    LOG.debug("Relay client {} sent a message over {} bytes; closing", ch.getSourceAddress(), RelayLimits.MAX_MESSAGE_BYTES);
                    close(1009, "messages are limited to " + RelayLimits.MAX_MESSAGE_BYTES + " bytes");
                    return;
                }
                if (!inbound.offer(() -> handle(text))) {
                    close(1008, "more than " + RelayLimits.MAX_PENDING_MESSAGES + " messages waiting; slow down");
                }
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                message.getData().free();
                close(1003, "NIP-01 messages are text");
            }

            @Override
            protected void onError(WebSocketChannel ch, Throwable error) {
                String text = String.valueOf(error.getMessage());
                if (text.contains("UT002014") || text.toLowerCase().contains("too big") || text.toLowerCase().contains("too large")) {
                    LOG.debug("Relay client {} sent a message over {} bytes; closing", ch.getSourceAddress(), RelayLimits.MAX_MESSAGE_BYTES);
                    close(1009, "messages are limited to " + RelayLimits.MAX_MESSAGE_BYTES + " bytes");
                } else {
                    LOG.debug("Relay connection {} failed: {}", ch.getSourceAddress(), error.toString());
                    IoUtils.safeClose(ch);
                }
            }
        });
        channel.resumeReceives();
        schedulePing();
    }

    /**
     * A subscriber that only listens sends nothing, and the REST port closes connections idle
     * past its idle timeout (which frees slots held by silent clients): a ping every third of
     * that timeout makes the client's pong count as activity.
     */
    private void schedulePing() {
        if (pingMillis <= 0 || closed) {
            return;
        }
        channel.getIoThread().executeAfter(() -> {
            if (closed || !channel.isOpen()) {
                return;
            }
            WebSockets.sendPing(ByteBuffer.allocate(0), channel, null);
            schedulePing();
        }, pingMillis, TimeUnit.MILLISECONDS);
    }

    /** A newly stored event: sent to every subscription it matches. Called on the storing thread. */
    void stored(Event event) {
        if (closed) {
            return;
        }
        for (Subscription subscription : subscriptions.values()) {
            subscription.live(event);
        }
    }

    void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        WebSockets.sendClose(code, reason, channel, new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                IoUtils.safeClose(ch);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                IoUtils.safeClose(ch);
            }
        });
    }

    // ---- inbound messages, one at a time, on a worker thread ----

    private void handle(String text) {
        if (closed) {
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            notice("invalid: the message is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (!(root instanceof ArrayNode message) || message.isEmpty() || !message.get(0).isTextual()) {
            notice("invalid: a NIP-01 message is a JSON array starting with its type, e.g. [\"REQ\", ...]");
            return;
        }
        try {
            switch (message.get(0).asText()) {
                case "EVENT" -> event(message);
                case "REQ" -> req(message);
                case "CLOSE" -> closeSubscription(message);
                case "AUTH" -> notice("unsupported: this relay does not use NIP-42 AUTH; writes are checked by signature");
                default -> notice("invalid: unknown message type " + abbreviate(message.get(0).asText())
                        + "; this relay takes EVENT, REQ and CLOSE");
            }
        } catch (StoreException e) {
            LOG.error("The store failed while answering a relay client {}: {}", channel.getSourceAddress(), e.getMessage());
            notice("error: the server could not read or write its store");
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure answering a relay client {}", channel.getSourceAddress(), e);
            notice("error: internal error");
        }
    }

    private void event(ArrayNode message) {
        if (message.size() != 2 || !message.get(1).isObject()) {
            notice("invalid: EVENT takes one event: [\"EVENT\", {...}]");
            return;
        }
        JsonNode idNode = message.get(1).get("id");
        String id = idNode != null && idNode.isTextual() ? abbreviate(idNode.asText()) : "";
        if (!eventBucket.take()) {
            ok(id, false, "rate-limited: at most " + RelayLimits.EVENTS_PER_SECOND + " events per second; slow down");
            return;
        }
        Event event;
        try {
            event = EventJson.parse(message.get(1).toString());
        } catch (CodecException | IllegalArgumentException e) {
            ok(id, false, "invalid: malformed event: " + e.getMessage());
            return;
        }
        if (!Arrays.equals(event.id(), Events.computeId(event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content()))) {
            ok(event.idHex(), false, "invalid: the event's id is not the hash of its content (NIP-01)");
            return;
        }
        if (event.sig() == null || !Events.verify(event)) {
            ok(event.idHex(), false, "invalid: bad signature");
            return;
        }
        if (!writable) {
            ok(event.idHex(), false, "blocked: this server refuses writes (it was started with -w false)");
            return;
        }
        if (!CARRIED_KINDS.contains(event.kind())) {
            ok(event.idHex(), false, "blocked: NostrP2P does not carry kind " + event.kind()
                    + "; it takes 0 (profile), 1 (post, reply, mention, quote), 3 (follow list), 6 (repost) and 7 (like)");
            return;
        }
        if (!backend.query(new ReqFilter(List.of(event.idHex()), null, null, Map.of(), null, null, 1L)).isEmpty()) {
            // Stored already: not sent to the overlay again.
            ok(event.idHex(), true, "duplicate: already have this event");
            return;
        }
        PublishResult result = backend.publish(event);
        if (result.isStored()) {
            ok(event.idHex(), true, "");
        } else {
            ok(event.idHex(), false, prefix(result.status()) + result.reason());
        }
    }

    static String prefix(int status) {
        return switch (status) {
            case 401, 403, 406 -> "blocked: ";
            case 409 -> "duplicate: ";
            case 429 -> "rate-limited: ";
            default -> status >= 500 ? "error: " : "invalid: ";
        };
    }

    private void req(ArrayNode message) {
        if (message.size() < 2 || !message.get(1).isTextual()) {
            notice("invalid: REQ takes a subscription id and filters: [\"REQ\", \"id\", {...}]");
            return;
        }
        String id = message.get(1).asText();
        if (id.isEmpty() || id.length() > RelayLimits.MAX_SUBSCRIPTION_ID_CHARS) {
            notice("invalid: a subscription id has 1.." + RelayLimits.MAX_SUBSCRIPTION_ID_CHARS + " characters");
            return;
        }
        int filterCount = message.size() - 2;
        if (filterCount == 0) {
            closed(id, "invalid: a REQ needs at least one filter");
            return;
        }
        if (filterCount > RelayLimits.MAX_FILTERS) {
            closed(id, "invalid: at most " + RelayLimits.MAX_FILTERS + " filters per REQ, got " + filterCount);
            return;
        }
        if (!subscriptions.containsKey(id) && subscriptions.size() >= RelayLimits.MAX_SUBSCRIPTIONS) {
            closed(id, "blocked: at most " + RelayLimits.MAX_SUBSCRIPTIONS + " open subscriptions per connection; CLOSE one first");
            return;
        }
        List<ReqFilter> filters = new ArrayList<>(filterCount);
        for (int i = 2; i < message.size(); i++) {
            try {
                filters.add(ReqFilter.parse(message.get(i).toString()));
            } catch (IllegalArgumentException e) {
                closed(id, "invalid: filter " + (i - 1) + ": " + e.getMessage());
                return;
            }
        }
        // Registered before the lookup, so nothing stored meanwhile is missed; held until EOSE.
        Subscription subscription = new Subscription(id, filters.stream().map(RelayQuery::matcher).toList());
        subscriptions.put(id, subscription);
        List<Event> stored = RelayQuery.stored(backend, filters);
        subscription.endOfStoredEvents(stored);
    }

    private void closeSubscription(ArrayNode message) {
        if (message.size() != 2 || !message.get(1).isTextual()) {
            notice("invalid: CLOSE takes a subscription id: [\"CLOSE\", \"id\"]");
            return;
        }
        subscriptions.remove(message.get(1).asText());
    }

    // ---- outbound ----

    private void ok(String id, boolean accepted, String reason) {
        ArrayNode out = JSON.createArrayNode().add("OK").add(id).add(accepted).add(reason);
        send(out.toString());
    }

    private void notice(String text) {
        send(JSON.createArrayNode().add("NOTICE").add(text).toString());
    }

    private void closed(String id, String reason) {
        subscriptions.remove(id);
        send(JSON.createArrayNode().add("CLOSED").add(id).add(reason).toString());
    }

    private void sendEvent(String subscriptionId, Event event) {
        try {
            send("[\"EVENT\"," + JSON.writeValueAsString(subscriptionId) + "," + EventJson.write(event) + "]");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(String text) {
        if (closed || !channel.isOpen()) {
            return;
        }
        long size = utf8Length(text);
        if (queuedBytes.addAndGet(size) > RelayLimits.MAX_QUEUED_BYTES) {
            LOG.info("Relay client {} reads too slowly ({} bytes waiting); disconnecting it", channel.getSourceAddress(), queuedBytes.get());
            // A close frame would wait behind what it does not read: drop the connection at once.
            closed = true;
            IoUtils.safeClose(channel);
            return;
        }
        WebSockets.sendText(text, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                queuedBytes.addAndGet(-size);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                queuedBytes.addAndGet(-size);
                IoUtils.safeClose(ch);
            }
        });
    }

    /** @return the UTF-8 size of a text, without encoding it */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** An open REQ: its filters, and the live events that arrive before its EOSE. */
    private final class Subscription {
        private final String id;
        private final List<org.nostrp2p.model.Filter> filters;
        private ArrayDeque<Event> held = new ArrayDeque<>();

        Subscription(String id, List<org.nostrp2p.model.Filter> filters) {
            this.id = id;
            this.filters = filters;
        }

        synchronized void live(Event event) {
            if (filters.stream().noneMatch(f -> f.matches(event))) {
                return;
            }
            if (held != null) {
                if (held.size() >= RelayLimits.MAX_HELD_LIVE_EVENTS) {
                    held.removeFirst();
                }
                held.addLast(event);
            } else if (subscriptions.get(id) == this) {
                sendEvent(id, event);
            }
        }

        synchronized void endOfStoredEvents(List<Event> stored) {
            if (subscriptions.get(id) != this) {
                return;
            }
            Set<String> sent = new java.util.HashSet<>();
            for (Event event : stored) {
                sendEvent(id, event);
                sent.add(event.idHex());
            }
            send(JSON.createArrayNode().add("EOSE").add(id).toString());
            for (Event event : held) {
                if (!sent.contains(event.idHex())) {
                    sendEvent(id, event);
                }
            }
            held = null;
        }
    }
}
