package dev.speck.deliver;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A delivery's URL, taken apart: only http and https, with a host, without user info.
 *
 * @param endpoint what a signing secret belongs to: scheme, host, port and path (no query)
 */
record Target(URI uri, String scheme, String host, int port, String endpoint) {

    static Target parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("a delivery goes to an http or https URL, not " + url);
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a delivery URL has a host and no user info or fragment: " + url);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String endpoint = scheme + "://" + authority(host, port, scheme) + path;
        return new Target(uri, scheme, host, port, endpoint);
    }

    /** host[:port] as a Host header says it (the port only when not the scheme's own). */
    String hostHeader() {
        return authority(host, port, scheme);
    }

    boolean secure() {
        return scheme.equals("https");
    }

    private static String authority(String host, int port, String scheme) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        boolean usual = port == (scheme.equals("https") ? 443 : 80);
        return usual ? h : h + ":" + port;
    }
}
