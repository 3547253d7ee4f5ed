package org.nostrp2p.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.nostrp2p.model.Event;
import org.nostrp2p.rest.ReqFilter;
import org.nostrp2p.rest.client.RelayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostrp2p timeline [--following] [--watch]}: the latest posts, replies and reposts your
 * server has, oldest first, with names, relative times and replies threaded under their post;
 * {@code --watch} then shows new ones as your server stores them (over the relay WebSocket,
 * no polling) until Ctrl-C.
 */
@Command(name = "timeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the latest posts your server has.")
final class TimelineCommand extends ClientCommand {

    /** Live events received and not yet shown; beyond, watching stops with a reason. */
    static final int MAX_WAITING_EVENTS = 10_000;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many of the latest events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--following", description = "Only people you follow (and you).")
    boolean following;

    @Option(names = {"-w", "--watch"}, description = "Keep showing new events as they arrive, until Ctrl-C.")
    boolean watch;

    @Override
    int run(Session session) throws InterruptedException {
        List<String> authors = null;
        if (following) {
            authors = new ArrayList<>(Session.followed(session.followList(session.me())));
            authors.add(session.me());
        }
        ReqFilter latest = new ReqFilter(null, authors, List.of(1, 6), Map.of(), null, null, (long) Math.max(1, limit));
        Timeline timeline = new Timeline(session, out());
        List<Event> events = session.fetch(latest);
        timeline.print(events);
        if (events.isEmpty()) {
            out().println(following ? "(no posts from people you follow yet)" : "(no posts yet)");
            out().flush();
        }
        if (!watch) {
            return 0;
        }
        // Events are printed here, not on the WebSocket's thread: printing may look up a new
        // author's name, which is another read over the same WebSocket.
        BlockingQueue<Event> arrived = new LinkedBlockingQueue<>(MAX_WAITING_EVENTS);
        AtomicReference<String> why = new AtomicReference<>();
        // limit 0: nothing stored, only what the server stores from now on (whatever its created_at).
        ReqFilter fresh = new ReqFilter(null, authors, List.of(1, 6), Map.of(), null, null, 0L);
        session.relay().subscribe(List.of(fresh), new RelayClient.Listener() {
            @Override
            public void event(Event event) {
                if (!arrived.offer(event)) {
                    why.compareAndSet(null, "more than " + MAX_WAITING_EVENTS + " events waited to be shown");
                }
            }

            @Override
            public void closed(String reason) {
                why.compareAndSet(null, reason);
            }
        });
        while (why.get() == null || !arrived.isEmpty()) {
            Event event = arrived.poll(200, TimeUnit.MILLISECONDS);
            if (event != null) {
                timeline.printOne(event, 0);
            }
        }
        throw new ClientOptions.UserError("Stopped watching: " + why.get(), 1);
    }
}
