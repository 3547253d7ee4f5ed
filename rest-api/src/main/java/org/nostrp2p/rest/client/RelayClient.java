package org.nostrp2p.rest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.codec.EventJson;
import org.nostrp2p.rest.ReqFilter;

/**
 * A NIP-01 client of a relay, here the user's own server's WebSocket on {@code /} of its REST
 * port: publish events ({@code EVENT}, answered {@code OK}) and subscribe ({@code REQ}, stored
 * events, {@code EOSE}, then live ones). Thread-safe; listeners run on the WebSocket's thread
 * and must not block.
 */
public final class RelayClient implements AutoCloseable {

    /** The largest message accepted from the relay. */
    public static final int MAX_MESSAGE_CHARS = 1 << 20;

    /**
     * What the relay answered to an {@code EVENT}.
     *
     * @param accepted whether it stored the event
     * @param message  empty, or NIP-01's machine-readable prefix and a reason
     */
    public record OkAnswer(boolean accepted, String message) {
    }

    /** Receives what a subscription brings. Every method has a default that does nothing. */
    public interface Listener {
        /** An event matching the subscription: stored ones before {@link #endOfStoredEvents()}, live ones after. */
        default void event(Event event) {
        }

        /** The relay sent every stored event ({@code EOSE}). */
        default void endOfStoredEvents() {
        }

        /** The relay ended the subscription ({@code CLOSED}) or the connection closed. */
        default void closed(String reason) {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final WebSocket socket;
    private final Map<String, Listener> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<OkAnswer>> pendingOks = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile Listener noticeListener = new Listener() { };
    private final CompletableFuture<String> closedFuture = new CompletableFuture<>();

    private RelayClient(String serverUrl, String url, WebSocket.Builder builder) {
        this.url = serverUrl;
        try {
            this.socket = builder.buildAsync(URI.create(url), new Receiver()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ServerUnreachableException(serverUrl, e.getCause() != null ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Connects to a server's relay endpoint.
     *
     * @param serverUrl the REST URL ({@code http://127.0.0.1:20001}) or a {@code ws://} URL
     * @return the connected client
     * @throws ServerUnreachableException when the WebSocket cannot be opened
     */
    public static RelayClient connect(String serverUrl) {
        return connect(serverUrl, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /**
     * Connects with a given HTTP client, e.g. one trusting a server's own TLS certificate.
     *
     * @param serverUrl the REST URL ({@code https://host:20001}) or a {@code ws://}/{@code wss://} URL
     * @param http      the client whose WebSocket builder is used
     * @return the connected client
     * @throws ServerUnreachableException when the WebSocket cannot be opened
     */
    public static RelayClient connect(String serverUrl, HttpClient http) {
        String url = serverUrl.replaceFirst("^http", "ws");
        if (!url.endsWith("/")) {
            url = url + "/";
        }
        return new RelayClient(serverUrl, url, http.newWebSocketBuilder());
    }

    /**
     * @param event a signed event
     * @return the relay's {@code OK}
     */
    public CompletableFuture<OkAnswer> publish(Event event) {
        CompletableFuture<OkAnswer> answer = new CompletableFuture<>();
        pendingOks.put(event.idHex(), answer);
        sendText("[\"EVENT\"," + EventJson.write(event) + "]");
        return answer;
    }

    /**
     * Opens a subscription.
     *
     * @param filters  NIP-01 filters (at least one)
     * @param listener what receives its events
     * @return the subscription id, for {@link #unsubscribe}
     */
    public String subscribe(List<ReqFilter> filters, Listener listener) {
        String id = "sub" + nextId.incrementAndGet();
        subscriptions.put(id, listener);
        StringBuilder message = new StringBuilder("[\"REQ\",\"").append(id).append('"');
        for (ReqFilter filter : filters) {
            message.append(',').append(filter.toJson());
        }
        sendText(message.append(']').toString());
        return id;
    }

    /** Closes a subscription ({@code CLOSE}). */
    public void unsubscribe(String id) {
        if (subscriptions.remove(id) != null) {
            sendText(JSON.createArrayNode().add("CLOSE").add(id).toString());
        }
    }

    /** Receives {@code NOTICE}s through {@link Listener#closed}. */
    public void onNotice(Listener listener) {
        this.noticeListener = listener;
    }

    /** @return completes with a reason once the connection is closed */
    public CompletableFuture<String> closed() {
        return closedFuture;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
        ended("closed by the client");
    }

    private synchronized void sendText(String text) {
        try {
            // java.net.http allows one outstanding send: wait for each.
            socket.sendText(text, true).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ServerUnreachableException(url, e.getCause() != null ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void ended(String reason) {
        closedFuture.complete(reason);
        subscriptions.values().forEach(l -> l.closed(reason));
        subscriptions.clear();
        pendingOks.values().forEach(f -> f.completeExceptionally(new CompletionException(new IOException("connection closed: " + reason))));
        pendingOks.clear();
    }

    private void received(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (!(root instanceof ArrayNode message) || message.isEmpty()) {
            return;
        }
        String type = message.get(0).asText();
        String first = message.size() > 1 ? message.get(1).asText() : "";
        switch (type) {
            case "EVENT" -> {
                Listener listener = subscriptions.get(first);
                if (listener != null && message.size() == 3) {
                    try {
                        listener.event(EventJson.parse(message.get(2).toString()));
                    } catch (RuntimeException e) {
                        // A malformed event from the relay is skipped, as a relay client does.
                    }
                }
            }
            case "EOSE" -> {
                Listener listener = subscriptions.get(first);
                if (listener != null) {
                    listener.endOfStoredEvents();
                }
            }
            case "CLOSED" -> {
                Listener listener = subscriptions.remove(first);
                if (listener != null) {
                    listener.closed(message.size() > 2 ? message.get(2).asText() : "");
                }
            }
            case "OK" -> {
                CompletableFuture<OkAnswer> answer = pendingOks.remove(first);
                if (answer != null && message.size() >= 3) {
                    answer.complete(new OkAnswer(message.get(2).asBoolean(), message.size() > 3 ? message.get(3).asText() : ""));
                }
            }
            case "NOTICE" -> noticeListener.closed(first);
            default -> {
                // Unknown messages (AUTH, COUNT, ...) are ignored.
            }
        }
    }

    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (parts.length() + data.length() > MAX_MESSAGE_CHARS) {
                webSocket.abort();
                ended("the relay sent a message over " + MAX_MESSAGE_CHARS + " characters");
                return null;
            }
            parts.append(data);
            if (last) {
                String text = parts.toString();
                parts.setLength(0);
                received(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended("the server closed the connection (" + statusCode + (reason.isEmpty() ? "" : ": " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended("the connection failed: " + error);
        }
    }
}
