package dev.speck.access;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import dev.speck.http.Exchange;

import java.time.Duration;

/** The speck_session cookie: HttpOnly, SameSite=Strict, Path=/, and Secure whenever the request came over HTTPS. */
final class SessionCookie {

    static final String NAME = "speck_session";

    private SessionCookie() {
    }

    /** The session token the request carries, or null. */
    static String token(Exchange ex) {
        String header = ex.header(HttpHeaderNames.COOKIE);
        if (header == null || header.length() > 8192) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decodeAll(header)) {
            if (c.name().equals(NAME)) {
                return c.value();
            }
        }
        return null;
    }

    static String set(String token, Duration maxAge, boolean secure) {
        DefaultCookie c = new DefaultCookie(NAME, token);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSecure(secure);
        c.setSameSite(CookieHeaderNames.SameSite.Strict);
        c.setMaxAge(maxAge.toSeconds());
        return ServerCookieEncoder.STRICT.encode(c);
    }

    /** Tells the browser to forget the cookie. */
    static String clear(boolean secure) {
        return set("", Duration.ZERO, secure);
    }
}
