package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Addresses from the topology: what parses, and what is skipped rather than thrown. */
class PeerAddressTest {

    @Test
    void anIpv4AndABracketedIpv6AddressParseAndPrintBackTheSame() {
        assertEquals(new PeerAddress("10.0.0.1", 6783), PeerAddress.parseOrNull("10.0.0.1:6783"));
        assertEquals("10.0.0.1:6783", PeerAddress.parseOrNull("10.0.0.1:6783").toString());
        assertEquals(new PeerAddress("fe80::1", 80), PeerAddress.parseOrNull("[fe80::1]:80"));
        assertEquals("[fe80::1]:80", PeerAddress.parseOrNull("[fe80::1]:80").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", "host:", ":80", "host:http", "host:65536", "host:-1", "fe80::1:80", "[fe80::1:80",
        "[]:80", "host:123456", "host:8o"})
    void aMalformedAddressIsNotAnAddress(String text) {
        assertNull(PeerAddress.parseOrNull(text));
    }
}
