package dev.speck.enrich;

import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Truncates client addresses so the store never holds one that points at a single household. */
public final class IpPrefixes {

    private IpPrefixes() {
    }

    /**
     * IPv4 to its /24 ("203.0.113.0"), IPv6 to its /48 in compressed form ("2001:db8:1::"),
     * IPv4-mapped IPv6 as IPv4; anything that is not an address literal gives null.
     */
    public static String truncate(String ip) {
        InetAddress address = parse(ip);
        if (address instanceof Inet4Address) {
            byte[] bytes = address.getAddress();
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0";
        }
        if (address instanceof Inet6Address) {
            byte[] bytes = new byte[16];
            System.arraycopy(address.getAddress(), 0, bytes, 0, 6);
            return NetUtil.bytesToIpAddress(bytes);
        }
        return null;
    }

    /**
     * Parses an address literal without ever asking DNS (InetAddress.getByName would resolve a host name);
     * null when the text is not an IPv4 or IPv6 literal.
     */
    static InetAddress parse(String ip) {
        if (ip == null || ip.isBlank() || ip.length() > 64) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip.strip());
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes); // maps ::ffff:a.b.c.d to an Inet4Address
        } catch (UnknownHostException impossibleForFourOrSixteenBytes) {
            return null;
        }
    }
}
