package dev.speck.http;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the hops of a forwarding header, nearest proxy last: {@code X-Forwarded-For} ("client,
 * proxy1") and RFC 7239 {@code Forwarded} ("for=192.0.2.60;proto=http, for=\"[2001:db8::17]:4711\"").
 * A hop is an address literal, with or without a port, IPv6 in brackets or bare; anything else
 * (a host name, {@code unknown}, an obfuscated {@code _hidden} id, garbage) is an unusable hop.
 * Literals only, through Netty's parser: nothing here ever asks DNS.
 */
final class ForwardedHops {

    /** One hop: its address, or null with why not. */
    record Hop(InetAddress address, Unusable unusable) {
        static final Hop MALFORMED = new Hop(null, Unusable.MALFORMED);
        static final Hop UNKNOWN = new Hop(null, Unusable.UNKNOWN);
    }

    /** Why a hop cannot be used. */
    enum Unusable {
        /** Not an address literal (with its port): garbage, a host name, a bad quote. */
        MALFORMED,
        /** A proxy said it does not know or will not tell: {@code for=unknown}, {@code for=_hidden}. */
        UNKNOWN
    }

    /** More hops than any real chain has; a longer header is cut from the left (the far, untrusted end). */
    static final int MAX_HOPS = 32;

    private ForwardedHops() {
    }

    /** The hops of X-Forwarded-For lines (joined in order); comma-separated entries. */
    static List<Hop> xForwardedFor(List<String> lines) {
        List<Hop> hops = new ArrayList<>(2);
        for (String line : lines) {
            int start = 0;
            for (int i = 0; i <= line.length(); i++) {
                if (i == line.length() || line.charAt(i) == ',') {
                    add(hops, entry(line.substring(start, i).strip()));
                    start = i + 1;
                }
            }
        }
        return hops;
    }

    /** The hops of Forwarded lines: each element's {@code for=} parameter; an element without one is unusable. */
    static List<Hop> forwarded(List<String> lines) {
        List<Hop> hops = new ArrayList<>(2);
        for (String line : lines) {
            for (String element : split(line, ',')) {
                add(hops, element(element));
            }
        }
        return hops;
    }

    /** The {@code proto=} of the first element (the scheme the visitor used), or null when it has none. */
    static String firstProto(String firstLine) {
        String element = split(firstLine, ',').get(0);
        for (String pair : split(element, ';')) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equalsIgnoreCase("proto")) {
                return unquote(pair.substring(equals + 1).strip());
            }
        }
        return null;
    }

    private static void add(List<Hop> hops, Hop hop) {
        if (hops.size() == MAX_HOPS) {
            hops.remove(0);
        }
        hops.add(hop);
    }

    private static Hop element(String element) {
        Hop hop = Hop.MALFORMED;
        for (String pair : split(element, ';')) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equalsIgnoreCase("for")) {
                String value = unquote(pair.substring(equals + 1).strip());
                hop = value == null ? Hop.MALFORMED : entry(value);
            }
        }
        return hop;
    }

    /** Splits on a separator outside quoted strings. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>(2);
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** A token as is, a quoted-string without its quotes and escapes; null for a broken quote. */
    private static String unquote(String value) {
        if (value.isEmpty() || value.charAt(0) != '"') {
            return value;
        }
        if (value.length() < 2 || value.charAt(value.length() - 1) != '"') {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** One hop's node: {@code 192.0.2.60}, {@code 192.0.2.60:1234}, {@code [2001:db8::1]:443}, {@code 2001:db8::1}. */
    static Hop entry(String node) {
        if (node.isEmpty()) {
            return Hop.MALFORMED;
        }
        if (node.equalsIgnoreCase("unknown") || node.charAt(0) == '_') {
            return Hop.UNKNOWN;
        }
        String host;
        String port = null;
        if (node.charAt(0) == '[') {
            int close = node.indexOf(']');
            if (close < 0) {
                return Hop.MALFORMED;
            }
            host = node.substring(1, close);
            if (close + 1 < node.length()) {
                if (node.charAt(close + 1) != ':') {
                    return Hop.MALFORMED;
                }
                port = node.substring(close + 2);
            }
            if (!NetUtil.isValidIpV6Address(host)) {
                return Hop.MALFORMED;
            }
        } else {
            int colon = node.indexOf(':');
            if (colon >= 0 && colon == node.lastIndexOf(':')) { // one colon: IPv4 with a port
                host = node.substring(0, colon);
                port = node.substring(colon + 1);
                if (!NetUtil.isValidIpV4Address(host)) {
                    return Hop.MALFORMED;
                }
            } else {
                host = node; // no colon: IPv4; several: IPv6 without brackets, so without a port
            }
        }
        if (port != null && !isPort(port)) {
            return Hop.MALFORMED;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
        if (bytes == null) {
            return Hop.MALFORMED;
        }
        try {
            return new Hop(InetAddress.getByAddress(bytes), null); // from bytes: no lookup
        } catch (UnknownHostException impossibleFor4Or16Bytes) {
            return Hop.MALFORMED;
        }
    }

    /** A port number, or RFC 7239's obfuscated port ({@code _abc}). */
    private static boolean isPort(String port) {
        if (port.length() > 1 && port.charAt(0) == '_') {
            return true;
        }
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(port) <= 65535;
    }
}
