package dev.speck.enrich;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides where a visit came from: the referrer gives the first answer, campaign tags and click ids
 * override it, because a paid or emailed link says more than the page that showed it.
 */
final class TrafficSources {

    static final Set<String> PAID_MEDIA = Set.of("cpc", "ppc", "paid", "paidsearch", "paid_social", "display", "cpm");
    static final Set<String> SOCIAL_MEDIA = Set.of("social", "social-network", "social-media", "sm", "social_media");

    /** Click ids only ads carry; fbclid and the like are also added to organic shares, so they are not here. */
    static final Set<String> PAID_CLICK_IDS = Set.of("gclid", "gbraid", "wbraid", "dclid", "msclkid", "yclid");

    /** Who adds each click id, for visits that arrive without a referrer. */
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
        String channel = channel(hit, referral, campaign);
        String source = referral.source();
        if (referral.channel().equals("direct")) {
            source = campaign.source() != null ? campaign.source() : network(campaign.clickIdType());
        }
        return new TrafficSource(channel, source, referral.term(),
                campaign.source(), campaign.medium(), campaign.name(), campaign.term(), campaign.content(),
                campaign.clickIdType(), campaign.clickId());
    }

    private static String channel(Hit hit, Referrers.Referral referral, Campaigns.Campaign campaign) {
        String clickIdType = campaign.clickIdType() == null ? "" : campaign.clickIdType();
        String medium = campaign.medium() == null ? "" : campaign.medium().toLowerCase(Locale.ROOT);
        boolean fromEmailPixel = (hit.kind() == HitKind.EMAIL_OPEN || hit.kind() == HitKind.LINK_CLICK)
                && hit.email().campaign() != null && !hit.email().campaign().isBlank();
        if (fromEmailPixel) {
            return "email";
        }
        if (PAID_MEDIA.contains(medium) || PAID_CLICK_IDS.contains(clickIdType)) {
            return "paid";
        }
        if (medium.equals("email")) {
            return "email";
        }
        if (referral.channel().equals("direct")) {
            if (SOCIAL_MEDIA.contains(medium) || !clickIdType.isEmpty()) {
                return "social"; // only social click ids are left once paid ones are handled
            }
            if (medium.equals("organic")) {
                return "search";
            }
        }
        return referral.channel();
    }

    private static String network(String clickIdType) {
        return clickIdType == null ? null : CLICK_ID_NETWORKS.get(clickIdType);
    }
}
