package org.nostrp2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.model.crypto.PublicKey;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.model.nip19.EventPointer;
import org.nostrp2p.model.nip19.Nip19;
import org.nostrp2p.rest.ReqFilter;
import org.nostrp2p.rest.client.RelayClient;
import org.nostrp2p.rest.client.RestClient;

/**
 * What a client command does with the user's server: reads over the relay WebSocket (full
 * events, signatures included, and what the server fetches from other servers arrives on the
 * open subscription), writes signed events over {@code /publish}. Not thread-safe: one command.
 */
final class Session implements AutoCloseable {

    /** How long a read waits for the server's stored events. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    /** How long a lookup of something the server lacks waits for its author's server to answer. */
    static final Duration FETCH_WAIT = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final ClientOptions options;
    private final RestClient rest;
    private RelayClient relay;
    private SecretKey key;
    private final Map<String, String> names = new HashMap<>();

    Session(ClientOptions options) {
        this.options = options;
        this.rest = new RestClient(options.server);
    }

    RestClient rest() {
        return rest;
    }

    /** @return the user's key, asked for (file, passphrase) only when first needed */
    SecretKey key() {
        if (key == null) {
            key = options.secretKey();
        }
        return key;
    }

    /** @return the user's public key as hex */
    String me() {
        return key().publicKey().toHex();
    }

    RelayClient relay() {
        if (relay == null) {
            relay = RelayClient.connect(rest.baseUrl());
        }
        return relay;
    }

    /** Signs and publishes; throws a {@link ClientOptions.UserError} with the server's reason when refused. */
    Event publish(int kind, List<List<String>> tags, String content) {
        return publish(kind, tags, content, null);
    }

    /**
     * Publishes a replacement of {@code previous} (a profile or follow list): dated at least a
     * second after it, since of two with the same {@code created_at} the lower id wins.
     */
    Event publish(int kind, List<List<String>> tags, String content, Event previous) {
        long createdAt = Instant.now().getEpochSecond();
        if (previous != null && previous.createdAt() >= createdAt) {
            createdAt = previous.createdAt() + 1;
        }
        Event event = Events.sign(key(), createdAt, kind, tags, content);
        RestClient.PublishAnswer answer = rest.publish(event);
        if (!answer.stored()) {
            throw new ClientOptions.UserError("The server refused it (" + answer.status() + "): " + answer.reason(), 1);
        }
        return event;
    }

    /** @return the server's stored events for these filters, newest first */
    List<Event> fetch(ReqFilter... filters) {
        return fetch(Duration.ZERO, 0, filters);
    }

    /**
     * @param waitAfterEnd    how long to keep listening after the stored events, for what the
     *                        server asks other servers for
     * @param enough          stop waiting once this many events came (0: wait the whole time)
     * @return the events, newest first
     */
    List<Event> fetch(Duration waitAfterEnd, int enough, ReqFilter... filters) {
        List<Event> events = new CopyOnWriteArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        String id = relay().subscribe(List.of(filters), new RelayClient.Listener() {
            @Override
            public void event(Event event) {
                if (events.stream().noneMatch(e -> e.idHex().equals(event.idHex()))) {
                    events.add(event);
                }
                if (end.getCount() == 0 && enough > 0 && events.size() >= enough) {
                    done.countDown();
                }
            }

            @Override
            public void endOfStoredEvents() {
                end.countDown();
                if (enough > 0 && events.size() >= enough) {
                    done.countDown();
                }
            }

            @Override
            public void closed(String reason) {
                end.countDown();
                done.countDown();
            }
        });
        try {
            if (!end.await(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ClientOptions.UserError("Your server at " + rest.baseUrl() + " did not answer within "
                        + READ_TIMEOUT.toSeconds() + " s.", 1);
            }
            if (!waitAfterEnd.isZero()) {
                done.await(waitAfterEnd.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            relay.unsubscribe(id);
        }
        List<Event> out = new ArrayList<>(events);
        out.sort((a, b) -> Long.compare(b.createdAt(), a.createdAt()));
        return out;
    }

    /**
     * Finds an event by {@code note1...}, {@code nevent1...} or hex id; when the server lacks it
     * and the author is known (nevent), waits a little for the author's server to send it.
     */
    Event event(String reference) {
        EventPointer pointer = parseEventReference(reference);
        String id = HEX.formatHex(pointer.id());
        List<String> authors = pointer.author() == null ? null : List.of(HEX.formatHex(pointer.author()));
        ReqFilter filter = new ReqFilter(List.of(id), authors, null, Map.of(), null, null, null);
        List<Event> found = fetch(authors == null ? Duration.ZERO : FETCH_WAIT, 1, filter);
        if (found.isEmpty()) {
            throw new ClientOptions.UserError("Your server does not have the event " + id + (authors == null
                    ? "; give it as nevent1... (with its author) so your server can ask the author's server" : " and its author's server did not send it"), 1);
        }
        return found.get(0);
    }

    /** @return the newest profiles of these authors, fetched from their servers when missing */
    Map<String, String> names(Collection<String> authors) {
        List<String> unknown = authors.stream().distinct().filter(a -> !names.containsKey(a)).limit(ReqFilter.MAX_LIST_ENTRIES).toList();
        if (!unknown.isEmpty()) {
            for (Event profile : fetch(new ReqFilter(null, unknown, List.of(0), Map.of(), null, null, null))) {
                names.putIfAbsent(profile.pubkeyHex(), profileField(profile, "name"));
            }
            unknown.forEach(a -> names.putIfAbsent(a, ""));
        }
        return names;
    }

    /** @return "name (npub1abcd…)" or the short npub when the name is unknown */
    String display(String pubkeyHex) {
        String name = names(List.of(pubkeyHex)).getOrDefault(pubkeyHex, "");
        String npub = PublicKey.parse(pubkeyHex).toNpub();
        String shortNpub = npub.substring(0, 14) + "…";
        return name.isBlank() ? shortNpub : name + " (" + shortNpub + ")";
    }

    /** @return the user's newest follow list, if any */
    Optional<Event> followList(String pubkeyHex) {
        List<Event> lists = fetch(pubkeyHex.equals(me()) ? Duration.ZERO : FETCH_WAIT, 1,
                new ReqFilter(null, List.of(pubkeyHex), List.of(3), Map.of(), null, null, null));
        return lists.stream().findFirst();
    }

    /** @return the hex keys a follow list names */
    static List<String> followed(Optional<Event> followList) {
        return followList.map(list -> list.tags().stream().filter(t -> t.size() >= 2 && t.get(0).equals("p"))
                .map(t -> t.get(1).toLowerCase()).distinct().toList()).orElse(List.of());
    }

    static String profileField(Event profile, String field) {
        try {
            JsonNode node = JSON.readTree(profile.content());
            return node != null && node.hasNonNull(field) ? node.get(field).asText() : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** @return the public key as hex, from npub or hex; a {@link ClientOptions.UserError} when malformed */
    static String parsePublicKey(String text) {
        try {
            return PublicKey.parse(text.trim()).toHex();
        } catch (IllegalArgumentException e) {
            throw new ClientOptions.UserError("Not a public key: " + e.getMessage() + " (expected npub1... or 64 hex characters)");
        }
    }

    static EventPointer parseEventReference(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("nostr:")) {
            trimmed = trimmed.substring(6);
        }
        try {
            if (trimmed.startsWith(Nip19.NOTE + "1")) {
                return new EventPointer(Nip19.decodeNote(trimmed), List.of(), null, null);
            }
            if (trimmed.startsWith(Nip19.NEVENT + "1")) {
                return Nip19.decodeNevent(trimmed);
            }
            if (trimmed.length() == 64) {
                return new EventPointer(HEX.parseHex(trimmed.toLowerCase()), List.of(), null, null);
            }
        } catch (IllegalArgumentException e) {
            throw new ClientOptions.UserError("Not an event id: " + e.getMessage());
        }
        throw new ClientOptions.UserError("Not an event id: expected note1..., nevent1... or 64 hex characters, got \""
                + (trimmed.length() > 20 ? trimmed.substring(0, 20) + "…" : trimmed) + "\"");
    }

    @Override
    public void close() {
        if (relay != null) {
            relay.close();
        }
    }
}
