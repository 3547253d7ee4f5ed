package org.nostrp2p.overlay;

/**
 * Checks of the {@code ip:port} addresses topology gossip carries, without a DNS lookup and
 * without throwing: a remote peer writes them, so anything may come.
 */
final class PeerAddresses {

    /** Longer than any {@code [ipv6]:port}. */
    static final int MAX_LENGTH = 64;

    private PeerAddresses() {
    }

    /**
     * @return whether {@code address} is an IPv4 literal or a bracketed IPv6 literal, a colon
     *     and a port from 1 to 65535 (a host name is refused: dialling it would make this peer
     *     resolve names chosen by others)
     */
    static boolean isDialable(String address) {
        if (address == null || address.isEmpty() || address.length() > MAX_LENGTH) {
            return false;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || !isPort(address.substring(colon + 1))) {
            return false;
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            return isIpv6(host.substring(1, host.length() - 1));
        }
        return isIpv4(host);
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535;
    }

    private static boolean isIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String host) {
        if (host.length() < 2 || host.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
    }
}
