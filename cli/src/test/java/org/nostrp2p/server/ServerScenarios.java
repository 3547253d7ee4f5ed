package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.rest.client.RestClient;
import org.nostrp2p.model.Event;
import org.nostrp2p.model.Events;
import org.nostrp2p.server.Cluster.Node;

/**
 * What the NostrP2P application protocol promises, end to end through each server's REST
 * API: run over an in-memory overlay and over real mesh routers on loopback.
 */
abstract class ServerScenarios extends ServerScenariosBase {

    @Test
    void aPostReachesEveryServerAndComesBackSignedByItsAuthor() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        Node carol = cluster.start("carol");
        awaitConnected();

        Event post = post(alice, "a post for everyone");

        awaitTimelineHas(bob, post);
        awaitTimelineHas(carol, post);
        Event atCarol = carol.client.req(TIMELINE).stream().filter(e -> e.idHex().equals(post.idHex())).findFirst().orElseThrow();
        assertEquals(post.withoutSig(), atCarol);
    }

    @Test
    void aReplyReachesOnlyTheTaggedUsersServer() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        Node carol = cluster.start("carol");
        awaitConnected();
        Event bobsPost = post(bob, "what do you think?");
        awaitTimelineHas(alice, bobsPost);

        Event reply = publish(alice, now(), 1, List.of(List.of("e", bobsPost.idHex(), "", "root"), List.of("p", bob.pubkey())), "I agree");

        awaitTimelineHas(bob, reply);
        settle(alice, carol);
        assertTrue(!timelineHas(carol, reply), "carol's server got a reply that was not for her");
    }

    @Test
    void aLikeReachesOnlyTheLikedAuthorsServer() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        Node carol = cluster.start("carol");
        awaitConnected();
        Event bobsPost = post(bob, "like me");
        awaitTimelineHas(alice, bobsPost);

        Event like = publish(alice, now(), 7, List.of(List.of("e", bobsPost.idHex()), List.of("p", bob.pubkey())), "+");

        awaitTimelineHas(bob, like);
        settle(alice, carol);
        assertTrue(!timelineHas(carol, like), "carol's server got a like of someone else's post");
    }

    @Test
    void aProfileUnknownToAServerIsFetchedFromItsAuthorsServer() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();
        // Four days old: beyond what a catch-up answer carries, so only a profile request brings it.
        Event profile = publish(bob, now() - 4 * 86_400, 0, List.of(), "{\"name\":\"bob\",\"about\":\"\",\"picture\":\"\"}");
        Node carol = cluster.start("carol");
        awaitConnected();
        String ask = "{\"kinds\":[0],\"authors\":[\"" + bob.pubkey() + "\"]}";

        List<Event> first = carol.client.req(ask);

        assertTrue(first.isEmpty() || first.get(0).idHex().equals(profile.idHex()));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> carol.client.req(ask).stream().anyMatch(e -> e.idHex().equals(profile.idHex())));
    }

    @Test
    void aPostAskedForByIdIsFetchedFromItsAuthorsServer() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();
        Event old = publish(bob, now() - 5 * 86_400, 1, List.of(), "an old post");
        Node carol = cluster.start("carol");
        awaitConnected();
        String ask = "{\"kinds\":[1],\"ids\":[\"" + old.idHex() + "\"],\"authors\":[\"" + bob.pubkey() + "\"]}";

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> carol.client.req(ask).stream().anyMatch(e -> e.idHex().equals(old.idHex())));
    }

    @Test
    void aReplyToAServerThatIsDownArrivesAfterItRestarts() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();
        Event bobsPost = post(bob, "I will be away");
        awaitTimelineHas(alice, bobsPost);
        cluster.stop(bob);

        Event reply = publish(alice, now(), 1, List.of(List.of("e", bobsPost.idHex(), "", "root"), List.of("p", bob.pubkey())), "welcome back");
        assertEquals(1, alice.server.store().resendQueue().size());
        cluster.start(bob);

        awaitTimelineHas(bob, reply);
        await().atMost(WAIT).until(() -> alice.server.store().resendQueue().size() == 0);
    }

    @Test
    void aServerThatWasOfflineCatchesUpWhenItStarts() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        Node carol = cluster.start("carol");
        awaitConnected();
        cluster.stop(carol);

        Event missed = post(alice, "posted while carol was away");
        Event notForCarol = publish(bob, now(), 1, List.of(List.of("e", missed.idHex(), "", "root"), List.of("p", alice.pubkey())), "just between us");
        Event missedToo = post(bob, "this one too");
        awaitTimelineHas(alice, notForCarol);
        cluster.start(carol);

        awaitTimelineHas(carol, missed);
        awaitTimelineHas(carol, missedToo);
        assertTrue(!timelineHas(carol, notForCarol), "a catch-up answer carried a reply that was not for carol");
    }

    @Test
    void aFollowListStaysOnItsServerAndIsServedToItsClient() {
        Node alice = cluster.start("alice");
        Node bob = cluster.start("bob");
        awaitConnected();

        Event follows = publish(alice, now(), 3, List.of(List.of("p", bob.pubkey(), "", "")), "");

        String ask = "{\"kinds\":[3],\"authors\":[\"" + alice.pubkey() + "\"]}";
        assertEquals(List.of(follows.withoutSig()), alice.client.req(ask));
        settle(alice, bob);
        assertTrue(bob.server.store().get(follows.id()).isEmpty(), "a follow list left its server");
    }
}
