package dev.speck.deliver;

import dev.speck.config.ConfigError;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps deliveries off the machine's own network (no SSRF): a target's name is resolved once, and
 * an address that is loopback, private, link-local (the cloud metadata address among them), shared
 * (CGNAT), multicast, unspecified or reserved is refused, unless an admin allowed its host or range
 * (deliver.allow-private). The attempt then connects to the very address checked here.
 */
final class AddressGuard {

    /** Refused ranges and why; IPv4-mapped and NAT64 IPv6 addresses are judged by their IPv4 address. */
    private static final List<Named> REFUSED = List.of(
            named("0.0.0.0/8", "an unspecified"), named("10.0.0.0/8", "a private"),
            named("100.64.0.0/10", "a shared (CGNAT)"), named("127.0.0.0/8", "a loopback"),
            named("169.254.0.0/16", "a link-local (cloud metadata)"), named("172.16.0.0/12", "a private"),
            named("192.0.0.0/24", "a reserved"), named("192.168.0.0/16", "a private"),
            named("198.18.0.0/15", "a reserved"), named("224.0.0.0/4", "a multicast"),
            named("240.0.0.0/4", "a reserved"), named("::/128", "an unspecified"), named("::1/128", "a loopback"),
            named("fc00::/7", "a private (unique local)"), named("fe80::/10", "a link-local"),
            named("fec0::/10", "a site-local"), named("ff00::/8", "a multicast"));

    private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");

    private final List<AddressRange> allowedRanges = new ArrayList<>();
    private final List<String> allowedHosts = new ArrayList<>();

    /** @param allowPrivate hosts (names or addresses) and CIDR ranges an admin allows */
    AddressGuard(List<String> allowPrivate) {
        for (String entry : allowPrivate) {
            try {
                if (entry.contains("/")) {
                    allowedRanges.add(AddressRange.parse(entry));
                } else if (AddressRange.literal(entry)) {
                    allowedRanges.add(AddressRange.parse(entry + (entry.contains(":") ? "/128" : "/32")));
                } else {
                    allowedHosts.add(entry.toLowerCase(Locale.ROOT));
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigError("deliver.allow-private", entry,
                        "host names, addresses and ranges such as 10.0.0.0/8 or fd00::/8, comma-separated");
            }
        }
    }

    /** Where an attempt may connect, or why not. */
    sealed interface Verdict permits Allowed, Refused {
    }

    record Allowed(InetAddress address) implements Verdict {
    }

    record Refused(String reason) implements Verdict {
    }

    /**
     * Resolves the host (once) and picks the first address it may connect to.
     *
     * @throws UnknownHostException when the name does not resolve (a failed attempt, retried: DNS comes back)
     */
    Verdict check(String host) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        boolean hostAllowed = allowedHosts.contains(host.toLowerCase(Locale.ROOT));
        String firstReason = null;
        for (InetAddress a : all) {
            Optional<String> why = hostAllowed ? Optional.empty() : refusal(a);
            if (why.isEmpty()) {
                return new Allowed(a);
            }
            firstReason = firstReason == null ? why.get() : firstReason;
        }
        return new Refused(firstReason + " (an admin may allow it with deliver.allow-private)");
    }

    /** Why this address is refused, or empty when it may be reached. */
    Optional<String> refusal(InetAddress a) {
        for (AddressRange r : allowedRanges) {
            if (r.contains(a)) {
                return Optional.empty();
            }
        }
        InetAddress judged = embeddedIpv4(a);
        for (Named n : REFUSED) {
            if (n.range.contains(judged)) {
                return Optional.of("refused: " + a.getHostAddress() + " is " + n.what + " address");
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address inside a NAT64 one (an IPv4-mapped one Java already reads as IPv4). */
    private static InetAddress embeddedIpv4(InetAddress a) {
        if (!NAT64.contains(a)) {
            return a;
        }
        byte[] b = a.getAddress();
        try {
            return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            return a; // four bytes are always an address
        }
    }

    private record Named(AddressRange range, String what) {
    }

    private static Named named(String cidr, String what) {
        return new Named(AddressRange.parse(cidr), what);
    }
}
