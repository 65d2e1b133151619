package dev.speck.enrich;

import io.netty.util.NetUtil;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An admin's reclassification: hits whose user agent holds a text (or matches a regular expression),
 * or whose address is in a range, get this verdict ({@code human} included) whatever else says.
 *
 * @param pattern for {@link Kind#AGENT} a case-insensitive substring, for {@link Kind#AGENT_REGEX} a
 *                regular expression found anywhere in the user agent, for {@link Kind#ADDRESS} a CIDR
 *                range ("66.249.64.0/19", "2001:db8::/32") or one address
 */
public record TrafficRule(String id, Kind kind, String pattern, Verdict verdict, String note, Instant created) {

    public static final int MAX_PATTERN = 200;
    public static final int MAX_NOTE = 500;

    public enum Kind {
        AGENT("agent"), AGENT_REGEX("agent-regex"), ADDRESS("address");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Kind fromWireName(String s) {
            for (Kind k : values()) {
                if (k.wireName.equals(s)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * Checks a rule as an admin wrote it.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public TrafficRule {
        if (kind == null || verdict == null || pattern == null || pattern.isBlank() || pattern.length() > MAX_PATTERN) {
            throw new IllegalArgumentException("a rule needs a kind (agent, agent-regex or address), a verdict and a pattern of 1 to "
                    + MAX_PATTERN + " characters");
        }
        if (note != null && note.length() > MAX_NOTE) {
            throw new IllegalArgumentException("note takes at most " + MAX_NOTE + " characters");
        }
        if (kind == Kind.AGENT_REGEX) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("pattern is not a regular expression: " + e.getDescription());
            }
        }
        if (kind == Kind.ADDRESS && Range.parse(pattern) == null) {
            throw new IllegalArgumentException("pattern must be an address or a CIDR range such as 66.249.64.0/19");
        }
    }

    /** The reason code hits matched by this rule carry. */
    public String reason() {
        return "rule:" + id;
    }

    /** This rule ready to match new hits: its expression compiled, its range parsed. */
    Compiled compile() {
        return new Compiled(this, kind == Kind.AGENT_REGEX ? Pattern.compile(pattern) : null,
                kind == Kind.ADDRESS ? Range.parse(pattern) : null, pattern.toLowerCase(Locale.ROOT));
    }

    record Compiled(TrafficRule rule, Pattern regex, Range range, String lowerCase) {

        /** Whether a new hit matches: its user agent (lower-cased for substrings), or its full address. */
        boolean matches(String userAgent, String lowerCaseAgent, String ip) {
            return switch (rule.kind) {
                case AGENT -> lowerCaseAgent != null && lowerCaseAgent.contains(lowerCase);
                case AGENT_REGEX -> userAgent != null && regex.matcher(userAgent).find();
                case ADDRESS -> ip != null && range.contains(NetUtil.createByteArrayFromIpAddressString(ip.strip()), 0);
            };
        }
    }

    /**
     * Whether a stored event's address matches: its raw IP when kept, else its truncated prefix
     * (IPv4 /24, IPv6 /48), which matches only a range at least as wide as the prefix.
     */
    public boolean matchesStored(String rawIp, String ipPrefix) {
        Range range = Range.parse(pattern);
        if (range == null) {
            return false;
        }
        if (rawIp != null) {
            return range.contains(NetUtil.createByteArrayFromIpAddressString(rawIp), 0);
        }
        if (ipPrefix == null) {
            return false;
        }
        byte[] prefix = NetUtil.createByteArrayFromIpAddressString(ipPrefix);
        return prefix != null && range.contains(prefix, prefix.length == 4 ? 24 : 48);
    }

    /** A CIDR range: the network's bytes and how many leading bits count. */
    record Range(byte[] network, int bits) {

        static Range parse(String s) {
            String text = s.strip();
            int slash = text.indexOf('/');
            byte[] address = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                return null;
            }
            int max = address.length * 8;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return bits < 0 || bits > max ? null : new Range(address, bits);
        }

        /** Whether an address (or a prefix of prefixBits, 0 for a full address) lies within. */
        boolean contains(byte[] address, int prefixBits) {
            if (address == null || address.length != network.length || (prefixBits > 0 && prefixBits < bits)) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
