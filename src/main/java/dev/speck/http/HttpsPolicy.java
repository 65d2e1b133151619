package dev.speck.http;

import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Whether a request reached Speck over HTTPS, and the Strict-Transport-Security value it then gets.
 * HTTPS is Speck's own TLS, or {@code X-Forwarded-Proto: https} (or, when the proxies write RFC 7239
 * {@code Forwarded}, its {@code proto=https}) from a trusted proxy; from anyone
 * else that header means nothing, so a visitor cannot make a plain request look secure.
 */
public final class HttpsPolicy {

    /** Plain HTTP, no proxy believed: nothing is ever secure. */
    public static final HttpsPolicy PLAIN = new HttpsPolicy(false, new ClientAddresses(List.of()), null);

    private final boolean tls;
    private final ClientAddresses proxies;
    private final String hsts;

    /**
     * @param tls     whether the port speaks TLS (then every request on it is secure)
     * @param proxies the trusted proxies, whose X-Forwarded-Proto is believed
     * @param hsts    the Strict-Transport-Security value for secure responses, or null for none
     */
    public HttpsPolicy(boolean tls, ClientAddresses proxies, String hsts) {
        this.tls = tls;
        this.proxies = proxies;
        this.hsts = hsts;
    }

    /** Whether Speck itself serves TLS on its port. */
    public boolean tls() {
        return tls;
    }

    /** Whether any proxy is trusted to say the visitor's request was HTTPS. */
    public boolean behindProxy() {
        return proxies.any();
    }

    String hsts() {
        return hsts;
    }

    /** The client's address: the peer, or what trusted proxies say (see {@link ClientAddresses}). */
    String clientIp(InetSocketAddress peer, HttpHeaders headers) {
        return proxies.clientIp(peer, headers);
    }

    boolean secure(InetSocketAddress remote, HttpHeaders headers) {
        if (tls) {
            return true;
        }
        if (!proxies.any() || remote == null || !proxies.isTrusted(remote)) {
            return false;
        }
        return "https".equalsIgnoreCase(proxies.forwardedProto(headers));
    }
}
