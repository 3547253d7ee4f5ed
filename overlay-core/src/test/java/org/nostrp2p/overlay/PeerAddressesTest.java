package org.nostrp2p.overlay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerAddressesTest {

    @Test
    void ipLiteralsWithAPortAreDialable() {
        assertTrue(PeerAddresses.isDialable("10.0.0.1:6783"));
        assertTrue(PeerAddresses.isDialable("[::1]:6783"));
        assertTrue(PeerAddresses.isDialable("255.255.255.255:65535"));
    }

    @Test
    void whatTopologyGossipMayCarryOtherwiseIsNot() {
        for (String bad : new String[] {"bad0", "", ":80", "1.2.3.4", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x",
                "1.2.3:80", "256.1.1.1:80", "example.com:80", "[::1:80", "[zz::1]:80", "1.2.3.4:-1", "1..3.4:80"}) {
            assertFalse(PeerAddresses.isDialable(bad), bad);
        }
        assertFalse(PeerAddresses.isDialable(null));
    }
}
