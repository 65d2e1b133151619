package dev.speck.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Finds the client's address: the connection's peer, or, when the peer is one of the configured
 * proxies, the right-most address in the forwarding header that is not a trusted proxy. Headers
 * from anyone else are ignored, so a visitor cannot choose the address (and so the geodata)
 * recorded. Only the one configured header is read ({@link Header}): a proxy that writes one of
 * them passes the other on from the visitor as sent, so believing both would let a visitor choose.
 */
public final class ClientAddresses {

    /** The forwarding header the trusted proxies write. */
    public enum Header {
        X_FORWARDED_FOR("X-Forwarded-For"),
        /** RFC 7239. */
        FORWARDED("Forwarded");

        private final String name;

        Header(String name) {
            this.name = name;
        }

        public String headerName() {
            return name;
        }

        /** The header of this name, any case; null when none is. */
        public static Header named(String name) {
            for (Header h : values()) {
                if (h.name.equalsIgnoreCase(name.strip())) {
                    return h;
                }
            }
            return null;
        }
    }

    /**
     * A visitor's address as far as it can be told: {@code ip} (a literal), or null when a trusted
     * proxy forwarded an address that cannot be used, with {@code unusable} saying why
     * ({@code malformed} or {@code unknown}). Such a hit must not take the proxy's address instead.
     */
    public record Resolved(String ip, String unusable) {
    }

    private final List<IpSubnetFilterRule> trusted;
    private final Header header;

    /** @param trustedProxies CIDR ranges such as 10.0.0.0/8 or ::1/128, whose X-Forwarded-For is believed */
    public ClientAddresses(List<String> trustedProxies) {
        this(trustedProxies, Header.X_FORWARDED_FOR);
    }

    /**
     * @param trustedProxies CIDR ranges such as 10.0.0.0/8 or ::1/128
     * @param header         the forwarding header they write
     */
    public ClientAddresses(List<String> trustedProxies, Header header) {
        this.trusted = trustedProxies.stream().map(ClientAddresses::rule).toList();
        this.header = header;
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

    /**
     * The visitor's address for a hit. From a trusted proxy that sent the configured header, the
     * hops are walked from the right past trusted proxies; the first other hop is the visitor (the
     * left-most when all are trusted). An unusable hop on that walk ends it unresolved: the
     * addresses to its left were written by someone Speck cannot vouch for, and the proxy's own
     * address would place every such visitor at the proxy.
     */
    public Resolved visitor(InetSocketAddress peer, HttpHeaders headers) {
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return new Resolved(NetUtil.toAddressString(peer.getAddress()), null);
        }
        List<String> lines = headers.getAll(header.headerName());
        if (lines.isEmpty()) {
            return new Resolved(NetUtil.toAddressString(peer.getAddress()), null); // the proxy's own request
        }
        List<ForwardedHops.Hop> hops = header == Header.FORWARDED
                ? ForwardedHops.forwarded(lines) : ForwardedHops.xForwardedFor(lines);
        for (int i = hops.size() - 1; i >= 0; i--) {
            ForwardedHops.Hop hop = hops.get(i);
            if (hop.address() == null) {
                return new Resolved(null, hop.unusable().name().toLowerCase(Locale.ROOT));
            }
            InetAddress address = hop.address();
            if (i == 0 || !isTrusted(new InetSocketAddress(address, 0))) {
                return new Resolved(NetUtil.toAddressString(address), null);
            }
        }
        return new Resolved(null, "malformed");
    }

    /**
     * The scheme the visitor used, as the proxies say (the caller checks the peer is trusted): the
     * first element's {@code proto=} when they write {@code Forwarded} and it has one, else the first
     * entry of {@code X-Forwarded-Proto} ("https, http": the first hop is the one the visitor used).
     */
    String forwardedProto(HttpHeaders headers) {
        if (header == Header.FORWARDED) {
            String first = headers.get(header.headerName());
            String proto = first == null ? null : ForwardedHops.firstProto(first);
            if (proto != null) {
                return proto.strip();
            }
        }
        String proto = headers.get("X-Forwarded-Proto");
        if (proto == null) {
            return null;
        }
        int comma = proto.indexOf(',');
        return (comma < 0 ? proto : proto.substring(0, comma)).strip();
    }

    /** {@link #visitor(InetSocketAddress, HttpHeaders)} for one value of the configured header (null: none sent). */
    public Resolved visitor(InetSocketAddress peer, String forwarded) {
        HttpHeaders headers = new DefaultHttpHeaders(false);
        if (forwarded != null) {
            headers.add(header.headerName(), forwarded);
        }
        return visitor(peer, headers);
    }

    /**
     * The client's address for who-asked purposes (sign-in throttling, the audit trail): the
     * visitor's, or the peer's when the forwarded one is unusable, since those need some address.
     */
    public String clientIp(InetSocketAddress peer, HttpHeaders headers) {
        String ip = visitor(peer, headers).ip();
        return ip != null ? ip : NetUtil.toAddressString(peer.getAddress());
    }
}
