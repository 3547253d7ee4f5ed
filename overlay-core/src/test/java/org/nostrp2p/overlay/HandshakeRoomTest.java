package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.ProtocolTag;

/**
 * One connection's side of the room talk in the handshake, both ends run against each other
 * as their features would carry it: what each says, the admission an accepting end holds, and
 * what both agree once each has read the other's.
 */
class HandshakeRoomTest {
    private static final int DEGREE = 4;
    private static final int LIMIT = 64;

    @Test
    void anAcceptingPeerWithRoomSaysSoAndHoldsOneAdmissionUntilReleasedOnce() {
        Host seed = new Host(0);
        HandshakeRoom room = new HandshakeRoom(false, seed);
        FeatureExchange.Ours said = room.say(1, false, false, DEGREE, LIMIT);
        assertFalse(said.full() || said.atLimit());
        assertEquals(1, seed.connectionsAndAdmissions(), "a welcome newcomer counts before it registers");
        room.agree(theirs(new HandshakeRoom(true, new Host(1)).say(2, false, false, 0, 0)));
        room.release();
        room.release();
        assertEquals(0, seed.connectionsAndAdmissions(), "released once, however often asked");
    }

    @Test
    void aSeedAtTwiceItsDegreeHandsADiallerOnAndHoldsNoAdmission() {
        Host seed = new Host(2 * DEGREE + Admission.LINKLESS_ROOM, "10.0.0.7:6783");
        HandshakeRoom room = new HandshakeRoom(false, seed);
        FeatureExchange.Ours said = room.say(1, false, false, DEGREE, LIMIT);
        assertTrue(said.full() && said.atLimit() && !said.linklessRoom());
        assertEquals(List.of("10.0.0.7:6783"), said.handOff());
        assertTrue(room.handedOff() && room.saidAtLimit());
        assertEquals(2 * DEGREE + Admission.LINKLESS_ROOM, seed.connectionsAndAdmissions());
    }

    @Test
    void aLinklessDiallerAndASeedWithLinklessRoomBothAgreeItIsALink() {
        Host seed = new Host(2 * DEGREE, "10.0.0.7:6783");
        Host newcomer = new Host(0);
        newcomer.passedOnWithoutLink = true;
        HandshakeRoom accepting = new HandshakeRoom(false, seed);
        HandshakeRoom dialling = new HandshakeRoom(true, newcomer);
        FeatureExchange.Ours seedSaid = accepting.say(1, false, false, DEGREE, LIMIT);
        FeatureExchange.Ours newcomerSaid = dialling.say(2, false, false, DEGREE, LIMIT);
        assertTrue(seedSaid.atLimit() && seedSaid.linklessRoom() && newcomerSaid.linkless());
        assertEquals(2 * DEGREE + 1, seed.connectionsAndAdmissions(), "the linkless room is held as an admission");

        FeatureExchange.Theirs seenByNewcomer = dialling.agree(theirs(seedSaid));
        accepting.agree(theirs(newcomerSaid));
        assertFalse(seenByNewcomer.atLimit(), "the newcomer registers it");
        assertEquals(List.of(), seenByNewcomer.handOff());
        assertFalse(accepting.saidAtLimit() || accepting.handedOff(), "the seed registers it");
        assertEquals(2 * DEGREE + 1, seed.connectionsAndAdmissions(), "admitted until registered");
    }

    @Test
    void aDiallerWithALinkIsPassedOnByASeedWithLinklessRoomWhichFreesThatRoom() {
        Host seed = new Host(2 * DEGREE, "10.0.0.7:6783");
        HandshakeRoom accepting = new HandshakeRoom(false, seed);
        HandshakeRoom dialling = new HandshakeRoom(true, new Host(3)); // has links: says nothing of them
        FeatureExchange.Ours seedSaid = accepting.say(1, false, false, DEGREE, LIMIT);
        FeatureExchange.Ours newcomerSaid = dialling.say(2, false, false, DEGREE, LIMIT);
        assertFalse(newcomerSaid.linkless());
        assertTrue(dialling.agree(theirs(seedSaid)).atLimit(), "the dialler reads a full seed and hangs up");
        accepting.agree(theirs(newcomerSaid));
        assertTrue(accepting.saidAtLimit());
        assertEquals(2 * DEGREE, seed.connectionsAndAdmissions(), "the room held for a linkless dialler is freed");
    }

    // the other end's features as its parser would read what this end said
    private static FeatureExchange.Theirs theirs(FeatureExchange.Ours said) {
        PeerSummary peer = new PeerSummary(PeerName.parse("02:00:00:00:00:01"), "other", 7, 0, 1, true);
        return new FeatureExchange.Theirs(peer, said.connId(), said.trustRemote(), 6783, true, said.optional(), said.full(),
                said.atLimit(), said.atLimit() ? said.handOff() : List.of(), said.linkless(), said.atLimit() && said.linklessRoom());
    }

    /** A peer with {@code links} registered links, handing on to {@code roomy} when at its limit. */
    private static final class Host implements ConnectionHost {
        private final int links;
        private final List<String> roomy;
        private int admissions;
        boolean passedOnWithoutLink;

        Host(int links, String... roomy) {
            this.links = links;
            this.roomy = List.of(roomy);
        }

        @Override
        public int listenPort() {
            return 6783;
        }

        @Override
        public int shortId() {
            return 1;
        }

        @Override
        public boolean passedOnWithoutLink() {
            return passedOnWithoutLink;
        }

        @Override
        public List<String> handOff() {
            return roomy;
        }

        @Override
        public int connectionsAndAdmissions() {
            return links + admissions;
        }

        @Override
        public void admissionOpened() {
            admissions++;
        }

        @Override
        public void admissionClosed() {
            admissions--;
        }

        @Override
        public void handshakeDone(Connection connection) {
        }

        @Override
        public void register(Connection connection) {
        }

        @Override
        public void receiveGossip(Connection from, ProtocolTag tag, byte[] payload) {
        }

        @Override
        public long suspend(PeerName name) {
            return 0;
        }

        @Override
        public RouterCounters counters() {
            return new RouterCounters();
        }

        @Override
        public RateLimitedLog connectionLog() {
            return new RateLimitedLog(org.slf4j.LoggerFactory.getLogger(HandshakeRoomTest.class));
        }

        @Override
        public void closed(Connection connection) {
        }
    }
}
