package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The one reader of {@code host:port}: addresses from the topology (skipped, never thrown, when
 * malformed), addresses an operator gives (with a port, or where the port may be left out), and
 * how each is written back.
 */
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

    @Test
    void aGivenAddressIsAHostWithAnOptionalPortZeroMeaningThisPeersOwn() {
        assertEquals(new PeerAddress("10.0.0.1", 6783), PeerAddress.parseGiven("10.0.0.1:6783"));
        assertEquals(new PeerAddress("example.org", 0), PeerAddress.parseGiven("example.org"));
        assertEquals(new PeerAddress("::1", 20000), PeerAddress.parseGiven("[::1]:20000"));
        assertEquals(new PeerAddress("::1", 0), PeerAddress.parseGiven(" [::1] "));
        for (String bad : new String[] {":6783", "host:port", "host:70000", "host:", "[::1", "[::1]x", "", "   "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerAddress.parseGiven(bad));
            assertTrue(e.getMessage().contains("host[:port]"), e.getMessage());
        }
    }

    @Test
    void anOperatorsAddressMustHaveAPortAndTheErrorNamesWhatWasGiven() {
        assertEquals(new PeerAddress("seed.example", 6783), PeerAddress.parse(" seed.example:6783 "));
        assertEquals(new PeerAddress("2001:db8::1", 6783), PeerAddress.parse("[2001:db8::1]:6783"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("seed.example"));
        assertTrue(e.getMessage().contains("'seed.example'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new PeerAddress("", 80));
        assertThrows(IllegalArgumentException.class, () -> new PeerAddress("h", 65536));
    }

    @Test
    void addressesAreWrittenAsMeshWritesThemIpv6Bracketed() {
        assertEquals("[::1]:5", PeerAddress.join("::1", 5));
        assertEquals("127.0.0.1:5", PeerAddress.join(new InetSocketAddress("127.0.0.1", 5)));
        assertEquals("::1", PeerAddress.hostOf("[::1]:5"));
        assertEquals("10.0.0.1", PeerAddress.hostOf("10.0.0.1:5"));
        assertNull(PeerAddress.hostOf("no-colon"));
    }
}
