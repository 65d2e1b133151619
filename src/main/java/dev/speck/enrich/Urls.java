package dev.speck.enrich;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Lenient pieces of a URL: hits carry whatever a browser, an email client or a bot sent,
 * and java.net.URI rejects much of that, so this never throws and answers null instead.
 */
final class Urls {

    private static final int MAX_QUERY_PARAMETERS = 100;

    private Urls() {
    }

    /** The lower-case host, without user info, port or trailing dot; null when absent or malformed. */
    static String host(String url) {
        String authority = authority(url);
        if (authority == null) {
            return null;
        }
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 1 ? host.substring(1, end).toLowerCase(Locale.ROOT) : null;
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return isPlausibleHost(host) ? host : null;
    }

    /** The host without a leading "www.", which sites use interchangeably with the bare domain. */
    static String withoutWww(String host) {
        return host != null && host.startsWith("www.") ? host.substring(4) : host;
    }

    /** The path ("" when there is none); null when the URL has no host. */
    static String path(String url) {
        int[] bounds = authorityBounds(url);
        if (bounds == null) {
            return null;
        }
        String rest = url.strip().substring(bounds[1]);
        int end = firstOf(rest, "?#");
        return end < 0 ? rest : rest.substring(0, end);
    }

    /** The decoded query parameters, first value wins; empty when there is no query. */
    static Map<String, String> query(String url) {
        if (url == null) {
            return Map.of();
        }
        int start = url.indexOf('?');
        if (start < 0) {
            return Map.of();
        }
        int end = url.indexOf('#', start);
        String query = end < 0 ? url.substring(start + 1) : url.substring(start + 1, end);
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split("&", MAX_QUERY_PARAMETERS + 1)) {
            if (parameters.size() >= MAX_QUERY_PARAMETERS) {
                break;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!name.isEmpty()) {
                parameters.putIfAbsent(name, value);
            }
        }
        return parameters;
    }

    /** Percent-decodes, keeping the raw text when the escapes are broken ("100%" is common). */
    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException brokenEscape) {
            return text;
        }
    }

    private static String authority(String url) {
        int[] bounds = authorityBounds(url);
        return bounds == null ? null : url.strip().substring(bounds[0], bounds[1]);
    }

    /** Start and end of the authority in the stripped URL, or null when there is none. */
    private static int[] authorityBounds(String url) {
        if (url == null) {
            return null;
        }
        String text = url.strip();
        int schemeEnd = text.indexOf("://");
        int start;
        if (schemeEnd > 0 && firstOf(text.substring(0, schemeEnd), "/?#") < 0) {
            start = schemeEnd + 3;
        } else if (text.startsWith("//")) {
            start = 2;
        } else {
            return null;
        }
        int length = firstOf(text.substring(start), "/?#");
        int end = length < 0 ? text.length() : start + length;
        return end > start ? new int[] {start, end} : null;
    }

    private static boolean isPlausibleHost(String host) {
        if (host.isEmpty() || host.length() > 253 || host.startsWith(".") || host.contains("..")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static int firstOf(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
