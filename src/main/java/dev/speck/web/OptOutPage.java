package dev.speck.web;

import dev.speck.access.Call;
import dev.speck.privacy.OptOutCookie;
import dev.speck.http.Answer;
import dev.speck.http.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code /privacy/opt-out}: a public page on Speck's own host where a visitor stops (or resumes)
 * all recording for their browser. Plain HTML and a form, no script, so it works without JS under
 * a strict CSP. The choice is a cookie for Speck's host, which the collector checks on every hit.
 */
final class OptOutPage {

    static final String PATH = "/privacy/opt-out";
    static final String COOKIE = OptOutCookie.NAME;
    private static final long TWO_YEARS_SECONDS = 2L * 365 * 24 * 3600;
    private static final String CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** GET: the page, saying whether this browser is opted out. */
    Answer get(Call call) {
        Exchange ex = call.exchange();
        return page(HttpResponseStatus.OK, optedOut(ex.header(HttpHeaderNames.COOKIE)), null, null);
    }

    /** POST: the form's choice, kept as a cookie. */
    Answer post(Call call) {
        Exchange ex = call.exchange();
        if (!sameOrigin(ex)) {
            return Answer.error(HttpResponseStatus.FORBIDDEN, "the opt-out form must be sent from this page");
        }
        if (ex.request().content().readableBytes() > 1024) {
            return Answer.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the form is at most 1 KB");
        }
        String body = ex.request().content().toString(StandardCharsets.UTF_8);
        List<String> choice = new QueryStringDecoder(body, StandardCharsets.UTF_8, false, 8).parameters().get("choice");
        String c = choice == null || choice.isEmpty() ? null : choice.get(0);
        if (!"out".equals(c) && !"in".equals(c)) {
            return Answer.error(HttpResponseStatus.BAD_REQUEST, "choice must be out or in");
        }
        boolean out = c.equals("out");
        String attributes = "; Path=/; HttpOnly" + (secure(ex) ? "; Secure; SameSite=None" : "; SameSite=Lax");
        String cookie = out ? COOKIE + "=1; Max-Age=" + TWO_YEARS_SECONDS + attributes : COOKIE + "=; Max-Age=0" + attributes;
        return page(HttpResponseStatus.OK, out, cookie, out ? "Done: this browser is opted out." : "Done: this browser is opted in again.");
    }

    /** A form POST from another site could flip a visitor's choice; browsers send Origin with every POST. */
    private static boolean sameOrigin(Exchange ex) {
        String origin = ex.header(HttpHeaderNames.ORIGIN);
        String host = ex.header(HttpHeaderNames.HOST);
        if (origin == null) {
            return true; // older browsers; the worst case is a choice the visitor can change back here
        }
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    /** Third-party pixel requests carry the cookie only when it is SameSite=None, which requires Secure (HTTPS). */
    private static boolean secure(Exchange ex) {
        // Speck's own TLS covers every connection of its port when it is on
        return ex.httpsPolicy().tls() || "https".equals(ex.header("X-Forwarded-Proto"));
    }

    static boolean optedOut(String cookieHeader) {
        return OptOutCookie.isSet(cookieHeader);
    }

    private static Answer page(HttpResponseStatus status, boolean optedOut, String setCookie, String notice) {
        String state = optedOut
                ? "<p id=\"state\" data-state=\"out\">This browser is <strong>opted out</strong>: Speck records nothing from it.</p>"
                : "<p id=\"state\" data-state=\"in\">This browser is <strong>not opted out</strong>: sites using Speck may record its visits as their privacy notice describes.</p>";
        String button = optedOut
                ? "<button type=\"submit\" name=\"choice\" value=\"in\">Opt in again</button>"
                : "<button type=\"submit\" name=\"choice\" value=\"out\">Opt out of all recording</button>";
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Opt out of Speck analytics</title></head><body><main>"
                + "<h1>Opt out of Speck analytics</h1>"
                + (notice == null ? "" : "<p id=\"notice\" role=\"status\">" + notice + "</p>")
                + state
                + "<form method=\"post\" action=\"" + PATH + "\">" + button + "</form>"
                + "<p>The choice is a cookie for this address, kept for two years. Browsers that block "
                + "third-party cookies may not send it with hits from other sites; a site's own opt-out "
                + "(stored on that site) always works. Global Privacy Control is honoured too: browsers that "
                + "send it are never recorded.</p>"
                + "</main></body></html>";
        HttpHeaders h = new DefaultHttpHeaders()
                .set("Content-Security-Policy", CSP)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("Referrer-Policy", "same-origin") // no-referrer would make the form send "Origin: null"
                .set("X-Frame-Options", "DENY");
        if (setCookie != null) {
            h.set(HttpHeaderNames.SET_COOKIE, setCookie);
        }
        return new Answer.Bytes(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), h);
    }
}
