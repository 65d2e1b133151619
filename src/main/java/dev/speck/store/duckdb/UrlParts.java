package dev.speck.store.duckdb;

/** Host and path of a page URL, for the columns reports group by; lenient, never throws. */
record UrlParts(String host, String path) {

    private static final UrlParts NONE = new UrlParts(null, null);

    static UrlParts of(String url) {
        if (url == null) {
            return NONE;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url.startsWith("/") ? new UrlParts(null, pathOf(url, 0)) : NONE;
        }
        int hostStart = scheme + 3;
        int hostEnd = hostStart;
        while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) {
            hostEnd++;
        }
        String host = url.substring(hostStart, hostEnd);
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            host = host.substring(at + 1);
        }
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        return new UrlParts(host.isEmpty() ? null : host.toLowerCase(java.util.Locale.ROOT), pathOf(url, hostEnd));
    }

    private static String pathOf(String url, int from) {
        int end = from;
        while (end < url.length() && "?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return from == end ? "/" : url.substring(from, end);
    }
}
