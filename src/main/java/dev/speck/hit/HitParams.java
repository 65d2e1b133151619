package dev.speck.hit;

/**
 * The names a hit request speaks: the query parameters of the image pixel ({@code /p/{pixel}.gif}),
 * the email open ({@code /o/{pixel}.gif}) and the tracked link ({@code /l/{code}}), the fields of a
 * beacon's JSON event ({@code POST /p/{pixel}/events}), and the headers the collector reads beyond
 * the standard ones. The JS tag and the snippets send these names; changing one breaks every page
 * that carries the old one.
 */
public final class HitParams {

    /** page_view (the default), event or goal. */
    public static final String KIND = "k";
    /** The event or goal name. */
    public static final String NAME = "n";
    /** The page URL; a plain {@code <img>} without it is placed by its Referer header. */
    public static final String URL = "u";
    /** The page's own referrer. */
    public static final String REFERRER = "r";
    public static final String TITLE = "t";
    /** The screen, "1920x1080". */
    public static final String SCREEN = "sr";
    public static final String LANGUAGE = "lang";
    /** The browser's IANA time zone. */
    public static final String TIME_ZONE = "tz";
    public static final String VALUE = "v";
    public static final String CURRENCY = "cur";
    /** A custom property is {@code p.NAME=value}. */
    public static final String PROPERTY_PREFIX = "p.";
    /** granted or denied. */
    public static final String CONSENT = "consent";
    /** The tag's first-party visitor id, kept only with consent granted. */
    public static final String FIRST_PARTY_ID = "fpid";
    /** A customer id the page claims ({@code speck('identify', id, signature)}). */
    public static final String IDENTITY = "identity";
    /** The signature of the identity, of a recipient token, or of a tracked link's recipient. */
    public static final String SIGNATURE = "sig";
    /** The message (campaign) of an email open. */
    public static final String MESSAGE = "m";
    /** The opaque recipient token of an email open or a tracked link. */
    public static final String RECIPIENT = "rcpt";
    /** The hit's time in epoch milliseconds, believed only with the backfill header. */
    public static final String TIME = "ts";
    /** "1" when the tag saw navigator.webdriver (a browser driven by a program); anything else is ignored. */
    public static final String WEBDRIVER = "wd";

    /** The fields of one JSON event a beacon carries (alone, in an array, or as {"events": [...]}). */
    public static final class Beacon {
        public static final String EVENTS = "events";
        public static final String TYPE = "type";
        public static final String NAME = "name";
        public static final String URL = "url";
        public static final String REFERRER = "referrer";
        public static final String TITLE = "title";
        public static final String SCREEN = "screen";
        public static final String LANGUAGE = "lang";
        public static final String TIME_ZONE = "tz";
        public static final String VALUE = "value";
        public static final String CURRENCY = "currency";
        public static final String PROPS = "props";
        public static final String CONSENT = "consent";
        public static final String FIRST_PARTY_ID = "fpid";
        /** {"identity": {"id": ..., "sig": ...}}. */
        public static final String IDENTITY = "identity";
        public static final String IDENTITY_ID = "id";
        public static final String IDENTITY_SIGNATURE = "sig";
        /** As {@link HitParams#WEBDRIVER}. */
        public static final String WEBDRIVER = "wd";

        private Beacon() {
        }
    }

    /** The request headers the collector reads beyond the standard ones. */
    public static final class Headers {
        /** Global Privacy Control: "1" means do not record. */
        public static final String GLOBAL_PRIVACY_CONTROL = "Sec-GPC";
        /** Do Not Track: "1" means do not record, where the pixel honours it. */
        public static final String DO_NOT_TRACK = "DNT";
        /** The prefix of the client hints (Sec-CH-UA*), matched without regard to case. */
        public static final String CLIENT_HINTS_PREFIX = "sec-ch-ua";
        /** Carries the backfill token that lets a request set its hit's time ({@link #TIME}). */
        public static final String BACKFILL = "X-Speck-Backfill";

        private Headers() {
        }
    }

    private HitParams() {
    }
}
