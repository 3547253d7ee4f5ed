package org.nostrp2p.overlay;

/**
 * What an accepting peer tells a dialler of its room, from how many connections it has
 * registered plus the inbound ones admitted and still in their handshake ({@link
 * ConnectionHost#connectionsAndAdmissions}): the rule behind the features {@value
 * FeatureExchange#FULL_FEATURE}, {@value FeatureExchange#AT_LIMIT_FEATURE} and {@value
 * FeatureExchange#LINKLESS_ROOM_FEATURE}. Beyond mesh, which refuses only at its connection
 * limit.
 *
 * @param full         it has its target degree: an optional dial to it is refused
 * @param atLimit      it passes Java diallers on: from twice its target degree, so a seed many
 *                     peers join through keeps a small entry (others only at the connection
 *                     limit, as mesh does)
 * @param linklessRoom at that limit, it still keeps a Java dialler that a full peer passed on
 *                     before and that has no link: a few past twice the degree, never past the
 *                     connection limit
 */
record Admission(boolean full, boolean atLimit, boolean linklessRoom) {

    /** How many times the target degree of links a Java peer keeps before it passes Java diallers on. */
    static final int SEED_LINKS_PER_DEGREE = 2;

    /**
     * How many Java diallers past that a Java peer still keeps when each has no link although
     * a full peer passed it on before (see {@link FeatureExchange#LINKLESS_FEATURE}): the last
     * newcomers of a 500-router star were passed on from full peer to full peer for 15 s,
     * each pass a handshake on a busy loop.
     */
    static final int LINKLESS_ROOM = 2;

    /** What a dialling end says: nothing of its room. */
    static final Admission DIALLING = new Admission(false, false, false);

    /**
     * @param count        connections registered plus inbound admissions in their handshake
     * @param targetDegree the target degree, 0 for none
     * @param connLimit    the connection limit, 0 for none
     */
    static Admission of(int count, int targetDegree, int connLimit) {
        boolean full = targetDegree > 0 && count >= targetDegree;
        boolean atLimit = (connLimit > 0 && count >= connLimit)
                || (targetDegree > 0 && count >= SEED_LINKS_PER_DEGREE * targetDegree);
        boolean linklessRoom = atLimit && targetDegree > 0
                && count < SEED_LINKS_PER_DEGREE * targetDegree + LINKLESS_ROOM
                && (connLimit <= 0 || count < connLimit);
        return new Admission(full, atLimit, linklessRoom);
    }
}
