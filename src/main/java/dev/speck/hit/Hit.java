package dev.speck.hit;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pixel hit as the collector received it: only what the request said, nothing derived.
 * This is what the journal keeps, so enrichment can be replayed after a crash. Grouped into small
 * records by what they describe; a group a hit does not carry is its empty constant ({@link Page#NONE}
 * ...), never null. Built with {@link #of(long, HitKind, String)}.
 *
 * @param receivedAt server time in epoch milliseconds (or the backfilled time, see CollectConfig)
 * @param name       the event or goal name; null for page views, email opens and clicks
 * @param props      custom properties, bounded in count and size by the collector
 * @param signals    what the request said about consent and identity (keys in {@link Signals}),
 *                   bounded like props; empty for most hits
 */
public record Hit(
        long receivedAt,
        HitKind kind,
        String pixel,
        String name,
        Page page,
        Client client,
        Value value,
        Email email,
        Link link,
        Map<String, String> props,
        Map<String, String> signals) {

    public Hit {
        page = page == null ? Page.NONE : page;
        client = client == null ? Client.NONE : client;
        value = value == null ? Value.NONE : value;
        email = email == null ? Email.NONE : email;
        link = link == null ? Link.NONE : link;
        props = props == null ? Map.of() : props;
        signals = signals == null ? Map.of() : signals;
    }

    /** The page a hit was sent from (for a click: the link's destination, and the page it was on). */
    public record Page(String url, String referrer, String title) {
        public static final Page NONE = new Page(null, null, null);
    }

    /**
     * What the request and the tag said about the visitor's browser.
     *
     * @param ip          the client address after trusted-proxy resolution; never stored as is
     * @param clientHints the Sec-CH-UA* request headers, lower-case names
     * @param timeZone    the browser's IANA time zone, from the JS tag
     * @param cdnCountry  the ISO country from a trusted CDN header, when configured
     */
    public record Client(String ip, String userAgent, Map<String, String> clientHints, String language,
                         String screen, String timeZone, String cdnCountry) {
        public static final Client NONE = new Client(null, null);

        public Client {
            clientHints = clientHints == null ? Map.of() : clientHints;
        }

        /** A client known only by its address and user agent. */
        public Client(String ip, String userAgent) {
            this(ip, userAgent, Map.of(), null, null, null, null);
        }

        /** This client without what only enrichment reads: the address, the user agent and its hints. */
        public Client withoutRequestDetails() {
            return new Client(null, null, Map.of(), language, screen, timeZone, cdnCountry);
        }
    }

    /**
     * The value of a goal or event, as the page sent it: an exact decimal (money is never a binary
     * fraction), at most 4 decimal places.
     */
    public record Value(BigDecimal amount, String currency) {
        public static final Value NONE = new Value(null, null);
    }

    /**
     * @param campaign  the email message (campaign) of an email open, or the link's campaign
     * @param recipient the opaque recipient token of an email open or a signed link
     */
    public record Email(String campaign, String recipient) {
        public static final Email NONE = new Email(null, null);
    }

    /** @param code the tracked-link code of a click */
    public record Link(String code) {
        public static final Link NONE = new Link(null);
    }

    /** Starts a hit of this kind for this pixel; every group it does not set stays empty. */
    public static Builder of(long receivedAt, HitKind kind, String pixel) {
        return new Builder(receivedAt, kind, pixel);
    }

    /**
     * This hit without what only enrichment reads: the user agent, its client hints and the client
     * address. An enriched event keeps this copy, so that a batch waiting to be stored holds neither
     * raw addresses nor a few hundred bytes per hit that young collections would copy for nothing.
     */
    public Hit withoutRequestDetails() {
        return withClient(client.withoutRequestDetails());
    }

    /** This hit with one more signal. */
    public Hit withSignal(String key, String value) {
        Map<String, String> s = new LinkedHashMap<>(signals);
        s.put(key, value);
        return withSignals(s);
    }

    public Hit withSignals(Map<String, String> signals) {
        return new Hit(receivedAt, kind, pixel, name, page, client, value, email, link, props, signals);
    }

    public Hit withPage(Page page) {
        return new Hit(receivedAt, kind, pixel, name, page, client, value, email, link, props, signals);
    }

    public Hit withClient(Client client) {
        return new Hit(receivedAt, kind, pixel, name, page, client, value, email, link, props, signals);
    }

    public Hit withEmail(Email email) {
        return new Hit(receivedAt, kind, pixel, name, page, client, value, email, link, props, signals);
    }

    /** Collects the groups of one hit; a hit has many optional parts and most kinds use few of them. */
    public static final class Builder {

        private final long receivedAt;
        private final HitKind kind;
        private final String pixel;
        private String name;
        private Page page;
        private Client client;
        private Value value;
        private Email email;
        private Link link;
        private Map<String, String> props;
        private Map<String, String> signals;

        private Builder(long receivedAt, HitKind kind, String pixel) {
            this.receivedAt = receivedAt;
            this.kind = kind;
            this.pixel = pixel;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder page(Page page) {
            this.page = page;
            return this;
        }

        public Builder client(Client client) {
            this.client = client;
            return this;
        }

        public Builder value(Value value) {
            this.value = value;
            return this;
        }

        public Builder email(Email email) {
            this.email = email;
            return this;
        }

        public Builder link(Link link) {
            this.link = link;
            return this;
        }

        public Builder props(Map<String, String> props) {
            this.props = props;
            return this;
        }

        public Builder signals(Map<String, String> signals) {
            this.signals = signals;
            return this;
        }

        public Hit build() {
            return new Hit(receivedAt, kind, pixel, name, page, client, value, email, link, props, signals);
        }
    }
}
