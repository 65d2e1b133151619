package dev.speck.collect;

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
        Map<String, String> props) {

    public Hit {
        clientHints = clientHints == null ? Map.of() : clientHints;
        props = props == null ? Map.of() : props;
    }
}
