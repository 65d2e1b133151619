package dev.speck.deliver;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers a delivery may add of its own: not the ones that frame the connection or the message
 * (hop-by-hop headers, Host, Content-Length, ...), and not Speck's own signature headers, which the
 * receiver must be able to trust.
 */
final class CustomHeaders {

    static final int MAX = 20;

    private static final Set<String> REFUSED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "http2-settings");

    private CustomHeaders() {
    }

    static void check(Map<String, String> headers) {
        if (headers.size() > MAX) {
            throw new IllegalArgumentException("a delivery carries at most " + MAX + " custom headers");
        }
        headers.forEach((name, value) -> {
            String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
            if (!n.matches("[a-z0-9!#$%&'*+.^_`|~-]{1,100}")) {
                throw new IllegalArgumentException("not a header name: " + name);
            }
            if (REFUSED.contains(n) || n.startsWith("speck-")) {
                throw new IllegalArgumentException("the header " + name + " is set by Speck, not by a delivery");
            }
            if (value == null || value.length() > 2000 || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new IllegalArgumentException("the value of header " + name
                        + " is up to 2000 characters without control characters");
            }
        });
    }
}
