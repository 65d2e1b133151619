package dev.speck.web;

import dev.speck.http.Exchange;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * GET /api/server: the address pixels are served from as the console sees it, and whether that is
 * HTTPS. Over plain HTTP on a host other than this machine, a warning the console shows as a banner:
 * hits then travel unencrypted, and browsers block plain-HTTP pixels on HTTPS pages.
 */
final class ServerInfo {

    private ServerInfo() {
    }

    static Map<String, Object> describe(Exchange ex, String baseUrl) {
        boolean secure = ex.secure();
        String host = URI.create(baseUrl).getHost();
        boolean local = isLocal(host);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseUrl", baseUrl);
        out.put("scheme", secure ? "https" : "http");
        out.put("secure", secure);
        out.put("tls", ex.httpsPolicy().tls());
        out.put("behindTrustedProxy", ex.httpsPolicy().behindProxy());
        out.put("localhost", local);
        out.put("plainHttpWarning", secure || local ? null
                : "Pixels on " + baseUrl + " are served over plain HTTP: hits and the pages they come from travel "
                + "unencrypted, and browsers block them on HTTPS sites. Configure a certificate (http.tls-certificate, "
                + "http.tls-key) or an HTTPS reverse proxy listed in collect.trusted-proxies.");
        return out;
    }

    /** The address the client used to reach Speck, for the URLs in snippets. */
    static String baseUrl(Exchange ex) {
        String host = ex.header("Host");
        if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
            host = "localhost";
        }
        return (ex.secure() ? "https" : "http") + "://" + host; // X-Forwarded-Proto counts from trusted proxies only
    }

    /** localhost, its subdomains, 127.0.0.0/8 and ::1: this machine, where plain HTTP is fine. */
    static boolean isLocal(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127(\\.\\d{1,3}){3}");
    }
}
