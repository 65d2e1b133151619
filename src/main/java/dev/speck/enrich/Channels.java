package dev.speck.enrich;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The channel of a visit, by one precedence close to GA4's default channel group (docs/CHANNELS.md
 * lists it): an ad click id, then {@code utm_medium}, then the class of {@code utm_source}, then the
 * referrer's class, then direct. The names below are what is stored; they are part of the data and
 * change only with a migration of stored events. Per hit this is a few map lookups, no regex.
 */
final class Channels {

    static final String DIRECT = "direct";
    static final String INTERNAL = "internal";
    /** Organic search (GA4: Organic Search). */
    static final String SEARCH = "search";
    /** Organic social (GA4: Organic Social). */
    static final String SOCIAL = "social";
    static final String VIDEO = "video";
    static final String EMAIL = "email";
    static final String SMS = "sms";
    static final String PUSH = "push";
    static final String AFFILIATE = "affiliate";
    static final String DISPLAY = "display";
    static final String PAID_SEARCH = "paid_search";
    static final String PAID_SOCIAL = "paid_social";
    /** Paid, on no search engine or social network Speck knows (GA4: Paid Other, Paid Video). */
    static final String PAID = "paid";
    /** A native app Speck does not place in another class. */
    static final String APP = "app";
    /** A referring site of no other class, or tags of no known medium (GA4: Referral, Unassigned). */
    static final String OTHER = "other";

    /** Every stored channel name, for the docs and the console. */
    static final Set<String> ALL = Set.of(DIRECT, INTERNAL, SEARCH, SOCIAL, VIDEO, EMAIL, SMS, PUSH, AFFILIATE,
            DISPLAY, PAID_SEARCH, PAID_SOCIAL, PAID, APP, OTHER);

    /** Click ids only ads carry, and the channel of the ad; fbclid is also added to organic shares, so not here. */
    private static final Map<String, String> AD_CLICK_IDS = Map.of(
            "gclid", PAID_SEARCH, "gbraid", PAID_SEARCH, "wbraid", PAID_SEARCH, "msclkid", PAID_SEARCH,
            "yclid", PAID_SEARCH, "dclid", DISPLAY, "ttclid", PAID_SOCIAL, "twclid", PAID_SOCIAL,
            "li_fat_id", PAID_SOCIAL);

    /** Media named exactly (lower case); paid ones are recognised by form, see {@link #isPaid}. */
    private static final Map<String, String> MEDIA = Map.ofEntries(
            Map.entry("display", DISPLAY), Map.entry("banner", DISPLAY), Map.entry("expandable", DISPLAY),
            Map.entry("interstitial", DISPLAY), Map.entry("cpm", DISPLAY),
            Map.entry("social", SOCIAL), Map.entry("social-network", SOCIAL), Map.entry("social-media", SOCIAL),
            Map.entry("social_media", SOCIAL), Map.entry("social network", SOCIAL),
            Map.entry("social media", SOCIAL), Map.entry("sm", SOCIAL),
            Map.entry("organic", SEARCH),
            Map.entry("email", EMAIL), Map.entry("e-mail", EMAIL), Map.entry("e_mail", EMAIL),
            Map.entry("e mail", EMAIL), Map.entry("newsletter", EMAIL),
            Map.entry("affiliate", AFFILIATE), Map.entry("affiliates", AFFILIATE),
            Map.entry("sms", SMS), Map.entry("referral", OTHER), Map.entry("link", OTHER), Map.entry("app", APP));

    /** Paid media that name their network's class themselves. */
    private static final Map<String, String> PAID_MEDIA = Map.of(
            "paid_social", PAID_SOCIAL, "paidsocial", PAID_SOCIAL, "paid-social", PAID_SOCIAL,
            "paid social", PAID_SOCIAL, "paid_search", PAID_SEARCH, "paidsearch", PAID_SEARCH,
            "paid-search", PAID_SEARCH, "paid search", PAID_SEARCH);

    private Channels() {
    }

    /**
     * @param clickIdType  the page URL's click id parameter, or null
     * @param medium       utm_medium, or null
     * @param sourceClass  the class of utm_source (search, social, video, email, sms, push), or null
     * @param referral     what the referrer says (channel {@link #DIRECT} when none)
     * @param tagged       whether utm_source or utm_medium was given
     * @param emailOpen    an email open: always email
     * @param toRecipient  a tracked link's click carrying its recipient: email unless anything says otherwise
     */
    static String of(String clickIdType, String medium, String sourceClass, Referrers.Referral referral,
                     boolean tagged, boolean emailOpen, boolean toRecipient) {
        if (emailOpen) {
            return EMAIL;
        }
        String byClickId = clickIdType == null ? null : AD_CLICK_IDS.get(clickIdType);
        if (byClickId != null) {
            return byClickId;
        }
        if (medium != null) {
            String m = medium.toLowerCase(Locale.ROOT);
            String byMedium = byMedium(m, sourceClass != null ? sourceClass : referral.channel());
            if (byMedium != null) {
                return byMedium;
            }
        }
        if (sourceClass != null) {
            return sourceClass;
        }
        if ("fbclid".equals(clickIdType)) {
            return SOCIAL;
        }
        if (tagged) {
            return OTHER; // tagged on purpose, in no medium or source Speck knows: not the referrer's visit
        }
        if (!referral.channel().equals(DIRECT)) {
            return referral.channel();
        }
        return toRecipient ? EMAIL : DIRECT;
    }

    private static String byMedium(String m, String sourceClass) {
        if (isPaid(m)) {
            String named = PAID_MEDIA.get(m);
            if (named != null) {
                return named;
            }
            if (SEARCH.equals(sourceClass)) {
                return PAID_SEARCH;
            }
            if (SOCIAL.equals(sourceClass)) {
                return PAID_SOCIAL;
            }
            return m.equals("cpm") ? DISPLAY : PAID;
        }
        String exact = MEDIA.get(m);
        if (exact != null) {
            return exact;
        }
        if (m.endsWith("push") || m.contains("mobile") || m.contains("notification")) {
            return PUSH;
        }
        return m.contains("video") ? VIDEO : null;
    }

    /** GA4's paid media: {@code ^(.*cp.*|ppc|retargeting|paid.*)$}, without a regex. */
    static boolean isPaid(String m) {
        return m.contains("cp") || m.equals("ppc") || m.equals("retargeting") || m.startsWith("paid");
    }
}
