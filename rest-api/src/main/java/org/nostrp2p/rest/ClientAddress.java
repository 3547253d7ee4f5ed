package org.nostrp2p.rest;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The unit a client is counted by: an IPv4 address, or the /64 prefix of an IPv6 address
 * (IPv4-mapped IPv6 addresses count as their IPv4 address). A host usually owns a whole
 * IPv6 /64, so counting single IPv6 addresses would let one host take every slot.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    /** @return the key of the client at {@code address}, e.g. {@code 192.0.2.7} or {@code 2001:db8:0:1::/64} */
    static String key(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return key(inet.getAddress());
        }
        return String.valueOf(address);
    }

    static String key(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            StringBuilder prefix = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address.getHostAddress();
    }
}
