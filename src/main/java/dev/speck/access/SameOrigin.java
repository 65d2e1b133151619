package dev.speck.access;

import dev.speck.http.Exchange;

import java.net.URI;

/**
 * Whether a browser request came from Speck's own pages. Browsers send {@code Sec-Fetch-Site} and,
 * on unsafe requests, {@code Origin}; when present they must say "same origin". Tools such as
 * curl send neither, and are held by the CSRF token (or their key) instead.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    /** Null when the request may be same-origin; otherwise why it is not. */
    static String problem(Exchange ex) {
        String site = ex.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "cross-site request refused (Sec-Fetch-Site: " + truncate(site) + ")";
        }
        String origin = ex.header("Origin");
        if (origin == null) {
            return null;
        }
        String host = ex.header("Host");
        try {
            URI o = new URI(origin);
            String authority = o.getRawAuthority();
            if (host != null && authority != null && authority.equalsIgnoreCase(host)
                    && ("http".equals(o.getScheme()) || "https".equals(o.getScheme()))) {
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            // not an origin at all
        }
        return "cross-origin request refused (Origin: " + truncate(origin) + ")";
    }

    private static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
