package dev.speck.enrich;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.util.Map;

/**
 * Decides where a visit came from: the channel by {@link Channels}' precedence (click ids and
 * campaign tags before the referrer, because a paid or emailed link says more than the page that
 * showed it), and the source: utm_source when given, else the referrer's name, else the ad network
 * of a click id. A tracked link's click is read the same way, from its destination's own tags.
 */
final class TrafficSources {

    /** Who adds each click id, for visits that arrive without a referrer or utm_source. */
    private static final Map<String, String> CLICK_ID_NETWORKS = Map.of(
            "gclid", "Google Ads", "gbraid", "Google Ads", "wbraid", "Google Ads", "dclid", "Google Display",
            "msclkid", "Microsoft Advertising", "yclid", "Yandex Direct", "fbclid", "Facebook",
            "ttclid", "TikTok", "twclid", "Twitter", "li_fat_id", "LinkedIn");

    private final Referrers referrers;

    TrafficSources(Referrers referrers) {
        this.referrers = referrers;
    }

    TrafficSource classify(Hit hit) {
        Referrers.Referral referral = referrers.classify(hit.page().referrer(), hit.page().url());
        Campaigns.Campaign campaign = Campaigns.of(hit.page().url());
        boolean emailOpen = hit.kind() == HitKind.EMAIL_OPEN;
        boolean toRecipient = hit.kind() == HitKind.LINK_CLICK && hit.email().recipient() != null;
        String channel = Channels.of(campaign.clickIdType(), campaign.medium(), referrers.classOfSource(campaign.source()),
                referral, campaign.source() != null || campaign.medium() != null, emailOpen, toRecipient);
        String source = campaign.source() != null ? campaign.source()
                : referral.source() != null ? referral.source() : network(campaign.clickIdType());
        return new TrafficSource(channel, source, referral.term(),
                campaign.source(), campaign.medium(), campaign.name(), campaign.term(), campaign.content(),
                campaign.clickIdType(), campaign.clickId());
    }

    private static String network(String clickIdType) {
        return clickIdType == null ? null : CLICK_ID_NETWORKS.get(clickIdType);
    }
}
