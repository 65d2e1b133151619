package dev.speck.privacy;

/** The cookie /privacy/opt-out sets on Speck's own host: a browser carrying it is never recorded. */
public final class OptOutCookie {

    public static final String NAME = "speck_optout";

    private OptOutCookie() {
    }

    /** Whether a Cookie request header holds speck_optout=1; a plain scan, it runs on every hit. */
    public static boolean isSet(String cookieHeader) {
        if (cookieHeader == null || cookieHeader.indexOf(NAME) < 0) {
            return false;
        }
        // Every cookie, however many: a Speck on a subdomain also gets the site's own (dozens on a big
        // shop), and a limit here left the opt-out unread behind them. The header's size is bounded.
        for (String cookie : cookieHeader.split(";")) {
            if (cookie.trim().equals(NAME + "=1")) {
                return true;
            }
        }
        return false;
    }
}
