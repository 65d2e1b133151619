package dev.speck.enrich;

/**
 * Where the visitor came from: the referrer's channel and source, and the campaign tags of the page URL.
 *
 * @param channel     one of {@link Channels#ALL}: direct, internal, search, social, video, email, sms, push,
 *                    affiliate, display, paid_search, paid_social, paid, app, other (docs/CHANNELS.md)
 * @param source      utm_source when given, else the referrer's name (Google, Facebook, ...), host or app,
 *                    else the ad network of a click id
 * @param term        the search term, when the referrer gave one
 * @param clickIdType gclid, fbclid, msclkid, ttclid, li_fat_id, twclid, dclid, wbraid, gbraid
 */
public record TrafficSource(
        String channel,
        String source,
        String term,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String utmTerm,
        String utmContent,
        String clickIdType,
        String clickId) {

    public static final TrafficSource DIRECT =
            new TrafficSource("direct", null, null, null, null, null, null, null, null, null);
}
