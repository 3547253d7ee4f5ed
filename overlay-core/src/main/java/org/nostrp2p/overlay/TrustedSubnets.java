package org.nostrp2p.overlay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The subnets a router trusts (mesh {@code TrustedSubnets}, sent to peers as the
 * {@code Trusted} feature), and which remote addresses are exempt from the per-address
 * connection rules: trusted ones and, unless a test says otherwise, loopback. Immutable;
 * any thread.
 */
final class TrustedSubnets {

    private final List<Subnet> subnets;
    private final List<String> texts;
    private final boolean loopbackExempt;

    private TrustedSubnets(List<Subnet> subnets, List<String> texts, boolean loopbackExempt) {
        this.subnets = subnets;
        this.texts = texts;
        this.loopbackExempt = loopbackExempt;
    }

    /**
     * @param cidrs          subnets in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8})
     * @param loopbackExempt whether loopback addresses are exempt from the per-address rules
     * @throws IllegalArgumentException for a subnet that is not CIDR
     */
    static TrustedSubnets parse(List<String> cidrs, boolean loopbackExempt) {
        return new TrustedSubnets(cidrs.stream().map(Subnet::parse).toList(), List.copyOf(cidrs), loopbackExempt);
    }

    /** @return the subnets as given */
    List<String> texts() {
        return texts;
    }

    /** @return whether {@code remoteTcpAddr} is loopback or trusted: exempt from the per-address slot rules */
    boolean exemptFromAddressRule(String remoteTcpAddr) {
        String ip = PeerAddress.hostOf(remoteTcpAddr);
        if (ip != null && PeerAddresses.isDialable(remoteTcpAddr)) {
            try {
                if (loopbackExempt && InetAddress.getByName(ip).isLoopbackAddress()) {
                    return true;
                }
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return trusts(remoteTcpAddr);
    }

    /** @return whether {@code remoteTcpAddr} ({@code ip:port}) lies in a trusted subnet */
    boolean trusts(String remoteTcpAddr) {
        if (subnets.isEmpty()) {
            return false;
        }
        String ip = PeerAddress.hostOf(remoteTcpAddr);
        if (ip == null) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(ip);
            return subnets.stream().anyMatch(s -> s.contains(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv4 or IPv6 subnet in CIDR notation. */
    private record Subnet(byte[] network, int prefix) {
        static Subnet parse(String cidr) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("a trusted subnet is CIDR like 10.0.0.0/8, got '" + cidr + "'");
            }
            try {
                byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                int prefix = Integer.parseInt(cidr.substring(slash + 1));
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
                }
                return new Subnet(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("a trusted subnet is CIDR like 10.0.0.0/8, got '" + cidr + "'");
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
