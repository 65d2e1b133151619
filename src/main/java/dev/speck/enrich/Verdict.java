package dev.speck.enrich;

/**
 * What sent a hit, as traffic quality sees it. Reports count {@link #HUMAN} hits only unless asked
 * for the others, which they count as set apart. The wire names are what the store and the API hold.
 */
public enum Verdict {
    HUMAN("human"),
    /** A crawler or other robot that says so (search engines, link previews, monitors). */
    BOT("bot"),
    /** A browser driven by a program: headless browsers, WebDriver, Puppeteer, Playwright. */
    AUTOMATION("automation"),
    /** A mail provider fetching images for its readers (Gmail, Yahoo, Apple Mail Privacy Protection). */
    EMAIL_PROXY("email-proxy"),
    /** Security scanners: mail link scanners, vulnerability and port scanners. */
    SCANNER("scanner"),
    /** Speck's own test hit (the console's "send a test hit"). */
    TEST("test"),
    /** A server-side HTTP library (curl, python-requests, Go, Java, okhttp) rather than a browser. */
    SERVER("server");

    private final String wireName;

    Verdict(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean human() {
        return this == HUMAN;
    }

    /** The verdict of a wire name; null when there is none. */
    public static Verdict fromWireName(String s) {
        for (Verdict v : values()) {
            if (v.wireName.equals(s)) {
                return v;
            }
        }
        return null;
    }
}
