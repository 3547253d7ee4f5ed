package org.nostrp2p.overlay;

import java.net.InetSocketAddress;

/**
 * A peer's TCP address as the overlay writes it: {@code host:port}, or {@code [v6]:port}
 * (Go's {@code net.JoinHostPort}). The one parser of such addresses in the project: those an
 * operator gives ({@link #parse}, {@link #parseGiven}), those a remote peer writes in the
 * topology and in its features ({@link #parseOrNull}, which never throws), and the one way
 * they are written back ({@link #toString}, {@link #join}). Immutable.
 *
 * <pre>{@code
 * PeerAddress seed = PeerAddress.parse("[2001:db8::1]:6783");  // host "2001:db8::1", port 6783
 * router.connect(List.of(seed.toString()));
 * }</pre>
 *
 * @param host an IP or host name, without brackets
 * @param port 0–65535 (0: a given address without a port, meaning this peer's own; see {@link #parseGiven})
 */
public record PeerAddress(String host, int port) {

    /**
     * @throws IllegalArgumentException for an empty host or a port outside 0–65535
     */
    public PeerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("an address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Reads an address an operator gave, which must have a port.
     *
     * @param text {@code host:port} or {@code [v6]:port}, surrounding spaces ignored
     * @throws IllegalArgumentException naming the text, when it is not such an address
     */
    public static PeerAddress parse(String text) {
        PeerAddress address = parseOrNull(text == null ? null : text.trim());
        if (address == null) {
            throw new IllegalArgumentException("a peer address is host:port or [v6]:port, got '" + text + "'");
        }
        return address;
    }

    /**
     * Reads an address given to connect to (mesh {@code InitiateConnections}), where the port
     * may be left out.
     *
     * @param text {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}
     * @return the address; port 0 when none was given (the caller's own port is meant)
     * @throws IllegalArgumentException naming the text, when it is not such an address
     */
    public static PeerAddress parseGiven(String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.indexOf(':');
        boolean bracketed = trimmed.startsWith("[");
        if (bracketed ? trimmed.endsWith("]") : colon < 0 || colon != trimmed.lastIndexOf(':')) {
            // no port: a host, a bracketed IPv6 host, or a bare IPv6 host (more than one colon)
            String host = bracketed ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
            if (host.isEmpty()) {
                throw invalidGiven(text);
            }
            return new PeerAddress(host, 0);
        }
        PeerAddress address = parseOrNull(trimmed);
        if (address == null) {
            throw invalidGiven(text);
        }
        return address;
    }

    /**
     * Reads an address a remote peer wrote (topology, features): never throws, so a bad
     * address is skipped by its reader, not thrown through the connection maker.
     *
     * @param text {@code host:port} or {@code [v6]:port}
     * @return the address, or null when the text is not one
     */
    public static PeerAddress parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                return null;
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return null; // an IPv6 host must be bracketed
        }
        int port = portOrMinus(text.substring(colon + 1));
        if (port < 0 || host.isEmpty()) {
            return null;
        }
        return new PeerAddress(host, port);
    }

    /** @return {@code host:port}, or {@code [host]:port} for an IPv6 host, as mesh writes addresses */
    public static String join(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** @return a socket address's IP and port as {@link #join(String, int)} writes them */
    public static String join(InetSocketAddress address) {
        return join(address.getAddress().getHostAddress(), address.getPort());
    }

    /**
     * @return the host of {@code host:port} or {@code [v6]:port} (an address this peer wrote, or
     *     a remote one that passed {@link #parseOrNull}), or null when there is no colon
     */
    static String hostOf(String address) {
        if (address == null) {
            return null;
        }
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end < 0 ? null : address.substring(1, end);
        }
        int colon = address.lastIndexOf(':');
        return colon < 0 ? null : address.substring(0, colon);
    }

    /** @return this address as the overlay writes it: {@code host:port} or {@code [v6]:port} */
    @Override
    public String toString() {
        return join(host, port);
    }

    // the port 0–65535 in at most five digits, or -1
    private static int portOrMinus(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return -1;
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port > 65535 ? -1 : port;
    }

    private static IllegalArgumentException invalidGiven(String text) {
        return new IllegalArgumentException("invalid peer address \"" + text + "\", should be host[:port]");
    }
}
