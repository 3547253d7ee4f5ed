package org.nostrp2p.overlay;

/**
 * A peer's TCP address as the overlay writes it: {@code host:port}, or {@code [v6]:port}
 * (Go's {@code net.JoinHostPort}). One parser for addresses from the topology, the features
 * and the command line. Immutable.
 *
 * @param host an IP or host name, without brackets
 * @param port 0–65535
 */
record PeerAddress(String host, int port) {

    PeerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("an address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * @param text {@code host:port} or {@code [v6]:port}
     * @return the address, or null when the text is not one (a bad address in the topology is
     *     skipped by its reader, never thrown through the connection maker)
     */
    static PeerAddress parseOrNull(String text) {
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
        int port = 0;
        for (int i = colon + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || i - colon > 5) {
                return null;
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535 || host.isEmpty()) {
            return null;
        }
        return new PeerAddress(host, port);
    }

    @Override
    public String toString() {
        return ConnectionMaker.joinHostPort(host, port);
    }
}
