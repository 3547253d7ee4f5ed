package org.nostrp2p.overlay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nostrp2p.overlay.name.PeerName;
import org.nostrp2p.overlay.wire.PeerSummary;
import org.nostrp2p.overlay.wire.ProtocolException;

/**
 * Mesh's feature exchange (connection.go, {@code handshake} and {@code parseFeatures}): the
 * map each side sends as its first frame, and what this peer reads of the remote peer's.
 * Mesh's features (PeerNameFlavour, Name, NickName, ShortID, UID, ConnID, Trusted) come first;
 * the ones named here are beyond mesh, and Go peers ignore them. Stateless: the decisions
 * (whether this peer is full, at its limit) are the caller's. Thread-safe.
 */
final class FeatureExchange {

    /** Beyond mesh: the feature in which a Java peer tells the port it listens on. */
    static final String LISTEN_PORT_FEATURE = "ListenPort";

    /**
     * Beyond mesh: the feature by which a Java peer says it is one (value
     * {@value #IMPLEMENTATION}), so that rules Go peers do not know can apply between Java
     * peers: a faster accept rate.
     */
    static final String IMPLEMENTATION_FEATURE = "Implementation";
    static final String IMPLEMENTATION = "overlay-core";

    /**
     * Beyond mesh: the feature by which a dialler says the connection is optional (a peer it
     * discovered, not one it was told to connect to): the remote peer may refuse it when it
     * already has its target degree.
     */
    static final String OPTIONAL_FEATURE = "OptionalLink";

    /**
     * Beyond mesh: the feature by which an accepting Java peer says it already has its target
     * degree, so a dialler whose link is optional closes it before either end registers it
     * (and before either tells the overlay of a link about to go).
     */
    static final String FULL_FEATURE = "Full";

    /**
     * Beyond mesh: the feature by which an accepting Java peer says it is at its connection
     * limit: it will send the topology and close (as {@code LocalPeer} does at the limit), so
     * the dialler reads that without registering the connection, and neither end tells the
     * overlay of a link about to go.
     */
    static final String AT_LIMIT_FEATURE = "AtLimit";

    /**
     * Beyond mesh: with {@link #AT_LIMIT_FEATURE}, the addresses of peers with room the accepting
     * Java peer hands the dialler on to (see {@link PassOn}), separated by spaces: the dialler
     * dials them at once, without waiting for the topology message, and hangs up.
     */
    static final String HAND_OFF_FEATURE = "HandOff";
    /** The most addresses a {@link #HAND_OFF_FEATURE} is read for; more are ignored. */
    static final int HAND_OFF_MAX = 3;

    /**
     * Beyond mesh: the feature by which a Java dialler says it has no link although a full
     * peer passed it on before (see {@link #LINKLESS_ROOM_FEATURE}).
     */
    static final String LINKLESS_FEATURE = "Linkless";

    /**
     * Beyond mesh: with {@link #AT_LIMIT_FEATURE}, the accepting Java peer says it keeps a
     * dialler that says {@link #LINKLESS_FEATURE} (it has room for a few beyond its limit for
     * Java diallers). Both ends read both and agree: such a connection is an ordinary link.
     */
    static final String LINKLESS_ROOM_FEATURE = "LinklessRoom";

    private static final List<String> REQUIRED = List.of("PeerNameFlavour", "Name", "NickName", "UID", "ConnID");

    /**
     * What this peer says of itself on one connection.
     *
     * @param connId      this end's random connection id (mesh's {@code ConnID})
     * @param trustRemote whether this peer trusts the remote address (mesh's {@code Trusted})
     * @param optional    this peer dialled the connection as optional
     * @param full        this peer, accepting, has its target degree
     * @param atLimit     this peer, accepting, is at its limit for Java diallers
     * @param handOff     with {@code atLimit}, the addresses it hands the dialler on to (may be empty)
     * @param linkless    this peer, dialling, has no link though a full peer passed it on before
     * @param linklessRoom with {@code atLimit}, this peer keeps a dialler that says {@code linkless}
     */
    record Ours(long connId, boolean trustRemote, boolean optional, boolean full, boolean atLimit, List<String> handOff,
                boolean linkless, boolean linklessRoom) {
    }

    /**
     * What the remote peer said of itself.
     *
     * @param peer       its name, nickname, UID and short id
     * @param connId     its end's connection id (the connection's uid is ours xor this)
     * @param trustsUs   whether it trusts this peer's address (false when it did not say)
     * @param listenPort the port it listens on, 0 when it did not say
     * @param java       whether it is a Java overlay-core peer
     * @param optional   it dialled the connection as optional
     * @param full       a Java peer with its target degree
     * @param atLimit    a Java peer at its connection limit (it will close this connection)
     * @param handOff    with {@code atLimit}, the well-formed addresses it handed this peer on
     *                   to, at most {@link #HAND_OFF_MAX}; empty otherwise
     * @param linkless   a Java dialler with no link, passed on before
     * @param linklessRoom with {@code atLimit}, a Java peer that keeps a {@code linkless} dialler
     */
    record Theirs(PeerSummary peer, long connId, boolean trustsUs, int listenPort, boolean java, boolean optional,
                  boolean full, boolean atLimit, List<String> handOff, boolean linkless, boolean linklessRoom) {

        /** @return these features as they stand once the accepting peer kept this linkless dialler: not at its limit, nobody handed on */
        Theirs keptAsLinkless() {
            return new Theirs(peer, connId, trustsUs, listenPort, java, optional, full, false, List.of(), linkless, false);
        }
    }

    private FeatureExchange() {
    }

    /**
     * @return the features this peer sends first, mesh's in mesh's order, then the ones
     *     beyond mesh
     */
    static Map<String, String> encode(ConnectionSettings settings, int shortId, int listenPort, Ours ours) {
        Map<String, String> features = new LinkedHashMap<>();
        features.put("PeerNameFlavour", "mac");
        features.put("Name", settings.name().toString());
        features.put("NickName", settings.nickName());
        features.put("ShortID", Integer.toString(shortId));
        features.put("UID", Long.toUnsignedString(settings.uid()));
        features.put("ConnID", Long.toUnsignedString(ours.connId()));
        features.put("Trusted", Boolean.toString(ours.trustRemote()));
        features.put(LISTEN_PORT_FEATURE, Integer.toString(listenPort));
        features.put(IMPLEMENTATION_FEATURE, IMPLEMENTATION);
        if (ours.optional()) {
            features.put(OPTIONAL_FEATURE, "1");
        }
        if (ours.full()) {
            features.put(FULL_FEATURE, "1");
        }
        if (ours.atLimit()) {
            features.put(AT_LIMIT_FEATURE, "1");
            if (!ours.handOff().isEmpty()) {
                features.put(HAND_OFF_FEATURE, String.join(" ", ours.handOff()));
            }
            if (ours.linklessRoom()) {
                features.put(LINKLESS_ROOM_FEATURE, "1");
            }
        }
        if (ours.linkless()) {
            features.put(LINKLESS_FEATURE, "1");
        }
        return features;
    }

    /**
     * Mesh's {@code parseFeatures}, and the features beyond mesh.
     *
     * @throws ProtocolException when a feature mesh requires is missing or one is malformed
     */
    static Theirs parse(Map<String, String> features) {
        for (String key : REQUIRED) {
            if (!features.containsKey(key)) {
                throw new ProtocolException("feature " + key + " is missing");
            }
        }
        String flavour = features.get("PeerNameFlavour");
        if (!"mac".equals(flavour)) {
            throw new ProtocolException("peer name flavour mismatch (ours: 'mac', theirs: '" + flavour + "')");
        }
        PeerName name;
        try {
            name = PeerName.parse(features.get("Name"));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("feature Name: " + e.getMessage());
        }
        int shortId = 0;
        boolean hasShortId = false;
        if (features.containsKey("ShortID")) {
            long value = parseUnsigned("ShortID", features.get("ShortID"));
            if (value >= (1 << 12)) {
                throw new ProtocolException("feature ShortID " + value + " does not fit in 12 bits");
            }
            shortId = (int) value;
            hasShortId = true;
        }
        boolean trustsUs = false;
        if (features.containsKey("Trusted")) {
            trustsUs = switch (features.get("Trusted")) {
                case "1", "t", "T", "TRUE", "true", "True" -> true;
                case "0", "f", "F", "FALSE", "false", "False" -> false;
                default -> throw new ProtocolException("feature Trusted is not a boolean: '" + features.get("Trusted") + "'");
            };
        }
        int listenPort = 0;
        if (features.containsKey(LISTEN_PORT_FEATURE)) {
            long port = parseUnsigned(LISTEN_PORT_FEATURE, features.get(LISTEN_PORT_FEATURE));
            if (port < 1 || port > 65535) {
                throw new ProtocolException("feature " + LISTEN_PORT_FEATURE + " is not a port: " + port);
            }
            listenPort = (int) port;
        }
        boolean java = IMPLEMENTATION.equals(features.get(IMPLEMENTATION_FEATURE));
        boolean optional = "1".equals(features.get(OPTIONAL_FEATURE));
        boolean full = java && "1".equals(features.get(FULL_FEATURE));
        boolean atLimit = java && "1".equals(features.get(AT_LIMIT_FEATURE));
        long uid = parseUnsigned("UID", features.get("UID"));
        long connId = parseUnsigned("ConnID", features.get("ConnID"));
        PeerSummary peer = new PeerSummary(name, features.get("NickName"), uid, 0, shortId, hasShortId);
        List<String> handOff = atLimit ? handOff(features.get(HAND_OFF_FEATURE)) : List.of();
        boolean linkless = java && "1".equals(features.get(LINKLESS_FEATURE));
        boolean linklessRoom = atLimit && "1".equals(features.get(LINKLESS_ROOM_FEATURE));
        return new Theirs(peer, connId, trustsUs, listenPort, java, optional, full, atLimit, handOff, linkless, linklessRoom);
    }

    // The first HAND_OFF_MAX host:port addresses among the first few tokens; anything else is
    // ignored, as a hint that cannot be followed (the dialler still reads the topology then).
    private static List<String> handOff(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>(HAND_OFF_MAX);
        for (String token : value.split(" ", 3 * HAND_OFF_MAX)) {
            // the last token may be the rest of the value, spaces and all: not an address
            if (out.size() < HAND_OFF_MAX && token.length() <= 64 && token.indexOf(' ') < 0
                    && PeerAddress.parseOrNull(token) != null) {
                out.add(token);
            }
        }
        return List.copyOf(out);
    }

    private static long parseUnsigned(String key, String value) {
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new ProtocolException("feature " + key + " is not an unsigned decimal number: '" + value + "'");
        }
    }
}
