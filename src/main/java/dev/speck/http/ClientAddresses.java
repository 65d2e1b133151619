package dev.speck.http;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Finds the client's address: the connection's peer, or, when the peer is one of the configured
 * proxies, the right-most address in X-Forwarded-For that is not a trusted proxy. Headers from
 * anyone else are ignored, so a visitor cannot choose the address (and so the geodata) recorded.
 */
public final class ClientAddresses {

    private final List<IpSubnetFilterRule> trusted;

    /** @param trustedProxies CIDR ranges such as 10.0.0.0/8 or ::1/128 */
    public ClientAddresses(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(ClientAddresses::rule).toList();
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        String ip = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!NetUtil.isValidIpV4Address(ip) && !NetUtil.isValidIpV6Address(ip)) {
            throw new IllegalArgumentException("not an IP range: " + cidr);
        }
        int bits = slash < 0 ? (NetUtil.isValidIpV4Address(ip) ? 32 : 128) : Integer.parseInt(cidr.substring(slash + 1));
        return new IpSubnetFilterRule(ip, bits, IpFilterRuleType.ACCEPT);
    }

    /** Whether any proxy is trusted at all. */
    public boolean any() {
        return !trusted.isEmpty();
    }

    public boolean isTrusted(InetSocketAddress peer) {
        for (IpSubnetFilterRule rule : trusted) {
            if (rule.matches(peer)) {
                return true;
            }
        }
        return false;
    }

    /** The client IP as a literal string. */
    public String clientIp(InetSocketAddress peer, String forwardedFor) {
        if (forwardedFor == null || trusted.isEmpty() || !isTrusted(peer)) {
            return NetUtil.toAddressString(peer.getAddress());
        }
        String[] hops = forwardedFor.split(",", 32);
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(hop);
            if (bytes == null) {
                return NetUtil.toAddressString(peer.getAddress()); // a malformed chain: trust only what we saw
            }
            try {
                InetSocketAddress addr = new InetSocketAddress(InetAddress.getByAddress(bytes), 0);
                if (i == 0 || !isTrusted(addr)) {
                    return NetUtil.toAddressString(addr.getAddress());
                }
            } catch (UnknownHostException e) {
                break;
            }
        }
        return NetUtil.toAddressString(peer.getAddress());
    }
}
