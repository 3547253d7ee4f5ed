package org.nostrp2p.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.crypto.SecretKey;
import org.nostrp2p.model.nip19.Nip19;
import org.nostrp2p.rest.ReqFilter;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.server.NostrP2PServer;
import picocli.CommandLine;

/**
 * The command-line client as a user runs it: alice and bob, each with a server, the two
 * joined over real mesh routers on loopback.
 */
class ClientCommandsTest {

    record Run(int exitCode, String out, String err) {
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();
    private NostrP2PServer aliceServer;
    private NostrP2PServer bobServer;

    @BeforeEach
    void start() {
        bobServer = NostrP2PServer.builder().publicKey(bob.publicKey()).listen("127.0.0.1", 0)
                .dataDirectory(dir.resolve("bob")).build();
        bobServer.start();
        aliceServer = NostrP2PServer.builder().publicKey(alice.publicKey()).listen("127.0.0.1", 0)
                .bootstrapPeers(List.of(bobServer.overlayAddress())).dataDirectory(dir.resolve("alice")).build();
        aliceServer.start();
    }

    @AfterEach
    void stop() {
        aliceServer.stop();
        bobServer.stop();
    }

    /** Runs a command as {@code who}, whose key is in NOSTRP2P_NSEC, against their own server. */
    static Run as(SecretKey who, NostrP2PServer server, String... args) {
        CommandLine commandLine = Main.commandLine();
        setEnvironment(commandLine, Map.of(ClientOptions.NSEC_VARIABLE, who.toNsec()));
        var out = new StringWriter();
        var err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.restUrl();
        // Options after positional parameters are fine for picocli; keep "--" free commands only.
        int exitCode = commandLine.execute(all);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static void setEnvironment(CommandLine commandLine, Map<String, String> environment) {
        if (commandLine.getCommand() instanceof ClientCommand command) {
            command.client.environment = environment::get;
            command.client.defaultKeyFile = () -> Path.of("target", "no-such-key-file");
        }
        commandLine.getSubcommands().values().forEach(sub -> setEnvironment(sub, environment));
    }

    private Run alice(String... args) {
        return as(alice, aliceServer, args);
    }

    private Run bob(String... args) {
        return as(bob, bobServer, args);
    }

    private static String idOf(Run posted) {
        assertEquals(0, posted.exitCode(), posted.err());
        return posted.out().substring(posted.out().lastIndexOf(':') + 1).trim();
    }

    private static Optional<Event> stored(NostrP2PServer server, String id) {
        return new RestClient(server.restUrl()).req(new ReqFilter(List.of(id), null, List.of(1, 6, 7), Map.of(), null, null, null))
                .stream().findFirst();
    }

    /** Waits until a post of bob's reached alice's server (broadcasts flow). */
    private String bobPostsAndAliceHasIt(String text) {
        String id = idOf(bob("post", text));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> stored(aliceServer, id).isPresent());
        return id;
    }

    @Test
    void statusShowsTheServersPeersAndRoutesFromItsRealStatusEndpointAndOnlyToItsOwner() {
        String bobName = bobServer.peerName().toString();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Run status = alice("status");
            return status.exitCode() == 0 && status.out().contains(bobName);
        });

        Run asStranger = as(bob, aliceServer, "status");
        assertTrue(asStranger.exitCode() != 0, "only the owner may read the status: " + asStranger.out());
        assertTrue(asStranger.err().contains("403"), asStranger.err());
    }

    @Test
    void replyFindsTheRootAndTheAuthorItselfAndReachesTheAuthorsServer() {
        String post = bobPostsAndAliceHasIt("what do you think?");

        String reply = idOf(alice("reply", Nip19.encodeNote(java.util.HexFormat.of().parseHex(post)), "I agree"));
        await().atMost(WAIT).until(() -> stored(bobServer, reply).isPresent());
        String second = idOf(bob("reply", reply, "thanks"));

        Event first = stored(bobServer, reply).orElseThrow();
        assertEquals(List.of(List.of("e", post, "", "root"), List.of("p", bob.publicKey().toHex())), first.tags());
        Event answer = stored(bobServer, second).orElseThrow();
        assertEquals(List.of(List.of("e", post, "", "root"), List.of("e", reply, "", "reply"), List.of("p", alice.publicKey().toHex())),
                answer.tags());
    }

    @Test
    void postReplyToWritesAReplyWithoutLookingThePostUpAsAGoServerNeeds() {
        String unknownPost = "cd".repeat(32);

        String reply = idOf(alice("post", "--reply-to", unknownPost, "--reply-author", bob.publicKey().toNpub(), "blind reply"));

        Event stored = stored(aliceServer, reply).orElseThrow();
        assertEquals(List.of(List.of("e", unknownPost, "", "root"), List.of("p", bob.publicKey().toHex())), stored.tags());
    }

    @Test
    void aLikeAReplyAndAMentionShowInTheAuthorsNotificationsWithNames() {
        assertEquals(0, alice("profile", "set", "--name", "alice").exitCode());
        String post = idOf(bob("post", "bob's thoughts"));
        await().atMost(WAIT).until(() -> stored(aliceServer, post).isPresent());

        Run liked = alice("like", post);
        Run replied = alice("reply", post, "nice thoughts");
        Run mentioned = as(alice, aliceServer, "post", "hello"); // a plain post is no notification
        assertEquals(0, liked.exitCode(), liked.err());
        assertEquals(0, replied.exitCode(), replied.err());
        assertEquals(0, mentioned.exitCode(), mentioned.err());

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> bob("notifications").out().contains("liked your post"));
        Run notifications = bob("notifications");
        assertTrue(notifications.out().contains("alice (npub1"), notifications.out());
        assertTrue(notifications.out().contains("replied"), notifications.out());
        assertTrue(notifications.out().contains("nice thoughts"), notifications.out());
        assertFalse(notifications.out().contains("hello"), notifications.out());
    }

    @Test
    void followUnfollowAndFollowingKeepTheListAndTimelineFollowingShowsOnlyThem() {
        String bobPost = bobPostsAndAliceHasIt("only for followers' eyes");
        SecretKey carol = SecretKey.generate();

        Run follow = alice("follow", bob.publicKey().toNpub());
        Run again = alice("follow", bob.publicKey().toNpub());
        Run followCarol = alice("follow", carol.publicKey().toHex());
        Run unfollowCarol = alice("unfollow", carol.publicKey().toNpub());
        Run following = alice("following");
        idOf(as(alice, aliceServer, "post", "my own post"));
        Run timeline = alice("timeline", "--following");

        assertEquals(0, follow.exitCode(), follow.err());
        assertTrue(again.out().contains("You already follow"), again.out());
        assertEquals(0, followCarol.exitCode(), followCarol.err());
        assertTrue(unfollowCarol.out().contains("No longer following"), unfollowCarol.out());
        assertEquals(bob.publicKey().toNpub(), following.out().strip());
        assertTrue(timeline.out().contains("only for followers' eyes"), timeline.out());
        assertTrue(timeline.out().contains("my own post"), timeline.out());
        assertTrue(timeline.out().contains(bobPost), timeline.out());
    }

    @Test
    void timelineThreadsRepliesUnderTheirPostAndShowsRepostsAndQuotes() {
        String post = bobPostsAndAliceHasIt("the original");
        idOf(alice("reply", post, "a reply to it"));
        idOf(alice("repost", post));
        idOf(alice("quote", post, "look at this"));

        Run timeline = alice("timeline");

        String out = timeline.out();
        assertEquals(0, timeline.exitCode(), timeline.err());
        int original = out.indexOf("the original");
        int reply = out.indexOf("↳ ");
        assertTrue(original >= 0 && reply > original, out);
        assertTrue(out.substring(reply).startsWith("↳ npub1") && out.contains("a reply to it"), out);
        assertTrue(out.contains("reposted"), out);
        assertTrue(out.contains("quoted") && out.contains("look at this"), out);
        assertTrue(out.contains("just now"), out);
    }

    @Test
    void timelineWatchShowsAPostBroadcastByAnotherServerAsItArrivesWithoutPolling() throws Exception {
        bobPostsAndAliceHasIt("an earlier post of bob's");
        assertEquals(0, bob("profile", "set", "--name", "bob").exitCode());
        await().atMost(WAIT).until(() -> !new RestClient(aliceServer.restUrl())
                .req("{\"kinds\":[0],\"authors\":[\"" + bob.publicKey().toHex() + "\"]}").isEmpty());
        // Events of one second tie on created_at and then sort by id, so "before watching" is the
        // newest (the one -n 1 shows) only once the clock has passed the second of bob's posts.
        long lastSecondOfBobs = Instant.now().getEpochSecond();
        await().atMost(WAIT).until(() -> Instant.now().getEpochSecond() > lastSecondOfBobs);
        idOf(as(alice, aliceServer, "post", "before watching"));
        CommandLine commandLine = Main.commandLine();
        var out = new java.io.StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter()));
        // -n 1: only alice's own post is shown first, so bob's name is looked up while watching.
        CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(
                () -> commandLine.execute("timeline", "-n", "1", "--watch", "--server", aliceServer.restUrl()));
        await().atMost(WAIT).until(() -> out.toString().contains("before watching"));

        String live = idOf(bob("post", "live while alice watches"));

        await().atMost(WAIT).until(() -> out.toString().contains("live while alice watches") && out.toString().contains(live));
        assertTrue(out.toString().contains("bob (npub1"), out.toString());
        aliceServer.stop();
        assertEquals(1, (int) watching.get(30, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void profileSetKeepsTheOtherFieldsAndProfileShowFindsARemoteProfile() {
        assertEquals(0, bob("profile", "set", "--name", "bob", "--about", "from far").exitCode());
        assertEquals(0, bob("profile", "set", "--picture", "https://example.com/bob.png").exitCode());

        Run own = bob("profile", "show");
        Run remote = alice("profile", "show", bob.publicKey().toNpub());

        assertTrue(own.out().contains("name:     bob"), own.out());
        assertTrue(own.out().contains("about:    from far"), own.out());
        assertTrue(own.out().contains("picture:  https://example.com/bob.png"), own.out());
        assertEquals(0, remote.exitCode(), remote.err());
        assertTrue(remote.out().contains("name:     bob"), remote.out());
    }

    @Test
    void malformedIdsAndKeysAndRefusalsGetMessagesAUserCanActOn() {
        Run badNote = alice("reply", "note1notanote", "hi");
        Run badNpub = alice("follow", "npub1xyz");
        Run missing = alice("like", "ab".repeat(32));
        Run notMine = as(bob, aliceServer, "post", "on alice's server");

        assertEquals(2, badNote.exitCode());
        assertTrue(badNote.err().startsWith("Not an event id"), badNote.err());
        assertEquals(2, badNpub.exitCode());
        assertTrue(badNpub.err().startsWith("Not a public key"), badNpub.err());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("does not have the event"), missing.err());
        assertEquals(1, notMine.exitCode());
        assertTrue(notMine.err().contains("The server refused it (403)"), notMine.err());
    }
}
