package dev.speck.customers;

import dev.speck.hit.Hit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Takes a signed identity parameter ({@code speck_id=<reference>.<expiry>.<signature>}) off a hit's
 * page URL and referrer before the hit is enriched and stored, and keeps it in the hit's signals
 * for {@link Recognition} to check. The stored URL never carries it, signed or not.
 */
public final class LandingTokens {

    public static final String PARAMETER = "speck_id";
    /** The signal (in memory only, after the journal) that carries the token to recognition. */
    static final String SIGNAL = "landing_token";

    private LandingTokens() {
    }

    /** The hit with speck_id removed from its URL and referrer; the URL's token, when there was one, as a signal. */
    public static Hit strip(Hit hit) {
        Hit.Page page = hit.page();
        String url = page.url();
        String referrer = page.referrer();
        Stripped u = strip(url);
        Stripped r = strip(referrer);
        if (u == null && r == null) {
            return hit;
        }
        Hit out = hit.withPage(new Hit.Page(u == null ? url : u.url, r == null ? referrer : r.url, page.title()));
        return u != null && u.token != null ? out.withSignal(SIGNAL, u.token) : out;
    }

    private record Stripped(String url, String token) {
    }

    /** Null when the URL has no speck_id parameter. */
    private static Stripped strip(String url) {
        if (url == null || !url.contains(PARAMETER)) {
            return null;
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        StringBuilder kept = new StringBuilder();
        String token = null;
        boolean found = false;
        for (String part : query.split("&", -1)) {
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            if (PARAMETER.equals(name)) {
                found = true;
                if (token == null && eq >= 0) {
                    token = decode(part.substring(eq + 1));
                }
            } else if (!part.isEmpty()) {
                kept.append(kept.isEmpty() ? "" : "&").append(part);
            }
        }
        if (!found) {
            return null;
        }
        return new Stripped(url.substring(0, q) + (kept.isEmpty() ? "" : "?" + kept) + fragment, token);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** A landing token's parts: the reference may itself contain dots, so they are split from the right. */
    record Token(String reference, long expiresAt, String signature) {

        static Token parse(String token) {
            if (token == null || token.length() > 600) {
                return null;
            }
            int sig = token.lastIndexOf('.');
            int exp = sig <= 0 ? -1 : token.lastIndexOf('.', sig - 1);
            if (exp <= 0) {
                return null;
            }
            try {
                return new Token(token.substring(0, exp), Long.parseLong(token.substring(exp + 1, sig)),
                        token.substring(sig + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** The value of speck_id for a landing URL. */
    public static String token(String reference, long expiresAt, String signature) {
        return reference + "." + expiresAt + "." + signature;
    }
}
