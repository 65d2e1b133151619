package dev.speck.deliver;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR range (10.0.0.0/8, fc00::/7), written as literals only: parsing one never asks DNS. */
record AddressRange(byte[] network, int bits) {

    static AddressRange parse(String cidr) {
        String[] parts = cidr.trim().split("/", 2);
        if (parts.length != 2 || !literal(parts[0])) {
            throw new IllegalArgumentException("not an address range such as 10.0.0.0/8 or fc00::/7: " + cidr);
        }
        try {
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            int bits = Integer.parseInt(parts[1]);
            if (bits < 0 || bits > net.length * 8) {
                throw new IllegalArgumentException("a range's prefix is 0 to " + net.length * 8 + " bits: " + cidr);
            }
            return new AddressRange(net, bits);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address range such as 10.0.0.0/8 or fc00::/7: " + cidr);
        }
    }

    boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }

    /** An IPv4 or IPv6 address written out (not a name). */
    static boolean literal(String s) {
        return !s.isEmpty() && (s.contains(":") || s.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }
}
