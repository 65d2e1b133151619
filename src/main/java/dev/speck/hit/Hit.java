package dev.speck.hit;

import java.util.Map;

/**
 * One pixel hit as the collector received it: only what the request said, nothing derived.
 * This is what the journal keeps, so enrichment can be replayed after a crash.
 *
 * @param receivedAt  server time in epoch milliseconds (or the backfilled time, see CollectConfig)
 * @param clientIp    the client address after trusted-proxy resolution; never stored as is
 * @param clientHints the Sec-CH-UA* request headers, lower-case names
 * @param timeZone    the browser's IANA time zone, from the JS tag
 * @param cdnCountry  the ISO country from a trusted CDN header, when configured
 * @param campaign    the email message (campaign) of an email open, or the link's campaign
 * @param recipient   the opaque recipient token of an email open or a signed link
 * @param link        the tracked-link code of a click
 * @param props       custom properties, bounded in count and size by the collector
 * @param signals     what the request said about consent and identity (keys in {@link Signals}),
 *                    bounded like props; empty for most hits
 */
public record Hit(
        long receivedAt,
        HitKind kind,
        String pixel,
        String name,
        String url,
        String referrer,
        String title,
        String clientIp,
        String userAgent,
        Map<String, String> clientHints,
        String language,
        String screen,
        String timeZone,
        String cdnCountry,
        Double value,
        String currency,
        String campaign,
        String recipient,
        String link,
        Map<String, String> props,
        Map<String, String> signals) {

    public Hit {
        clientHints = clientHints == null ? Map.of() : clientHints;
        props = props == null ? Map.of() : props;
        signals = signals == null ? Map.of() : signals;
    }

    /** A hit that carries no consent or identity signals. */
    public Hit(long receivedAt, HitKind kind, String pixel, String name, String url, String referrer, String title,
               String clientIp, String userAgent, Map<String, String> clientHints, String language, String screen,
               String timeZone, String cdnCountry, Double value, String currency, String campaign, String recipient,
               String link, Map<String, String> props) {
        this(receivedAt, kind, pixel, name, url, referrer, title, clientIp, userAgent, clientHints, language, screen,
                timeZone, cdnCountry, value, currency, campaign, recipient, link, props, Map.of());
    }

    /**
     * This hit without what only enrichment reads: the user agent, its client hints and the client
     * address. An enriched event keeps this copy, so that a batch waiting to be stored holds neither
     * raw addresses nor a few hundred bytes per hit that young collections would copy for nothing.
     */
    public Hit withoutRequestDetails() {
        return new Hit(receivedAt, kind, pixel, name, url, referrer, title, null, null, Map.of(), language, screen,
                timeZone, cdnCountry, value, currency, campaign, recipient, link, props, signals);
    }

    /** This hit with one more signal. */
    public Hit withSignal(String key, String value) {
        Map<String, String> s = new java.util.LinkedHashMap<>(signals);
        s.put(key, value);
        return new Hit(receivedAt, kind, pixel, name, url, referrer, title, clientIp, userAgent, clientHints, language,
                screen, timeZone, cdnCountry, this.value, currency, campaign, recipient, link, props, s);
    }
}
