package org.nostrp2p.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Clients are counted by IPv4 address or IPv6 /64. */
class ClientAddressTest {

    private static String key(String address) throws UnknownHostException {
        return ClientAddress.key(InetAddress.getByName(address));
    }

    @Test
    void addressesOfOneIpv6Slash64CountAsOneClient() throws UnknownHostException {
        assertEquals(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        assertEquals("2001:db8:1:2::/64", key("2001:db8:1:2::1"));
    }

    @Test
    void neighbouringIpv6Slash64sAreDifferentClients() throws UnknownHostException {
        assertNotEquals(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }

    @Test
    void anIpv4MappedAddressCountsAsItsIpv4Address() throws UnknownHostException {
        assertEquals("192.0.2.7", key("::ffff:192.0.2.7"));
        assertEquals("192.0.2.7", key("192.0.2.7"));
    }
}
