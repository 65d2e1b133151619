package dev.speck.enrich;

import java.util.Map;

/**
 * Referrers of native apps: Android sends {@code android-app://{package}/...} when a link is
 * opened from an app (Gmail sends {@code android-app://com.google.android.gm/}), iOS
 * {@code ios-app://{App Store id}/...}. Snowplow's referrer database lists web hosts only, so the
 * apps that send most visits are named here, each with the channel its web site has in that
 * database (Gmail is email as mail.google.com is, the Google app search as google.com is, Facebook
 * social); an app not listed is channel "app" with its package (or App Store id) as the source.
 */
final class AppReferrers {

    private static final String ANDROID = "android-app://";
    private static final String IOS = "ios-app://";

    private record App(String channel, String name) {
    }

    private static final Map<String, App> APPS = Map.ofEntries(
            Map.entry("com.google.android.gm", new App("email", "Gmail")),
            Map.entry("422689480", new App("email", "Gmail")),
            Map.entry("com.microsoft.office.outlook", new App("email", "Outlook")),
            Map.entry("951937596", new App("email", "Outlook")),
            Map.entry("com.yahoo.mobile.client.android.mail", new App("email", "Yahoo! Mail")),
            Map.entry("ch.protonmail.android", new App("email", "Proton Mail")),
            Map.entry("com.google.android.googlequicksearchbox", new App("search", "Google")),
            Map.entry("com.google.android.apps.searchlite", new App("search", "Google")),
            Map.entry("284815942", new App("search", "Google")),
            Map.entry("com.microsoft.bing", new App("search", "Bing")),
            Map.entry("com.duckduckgo.mobile.android", new App("search", "DuckDuckGo")),
            Map.entry("com.facebook.katana", new App("social", "Facebook")),
            Map.entry("com.facebook.lite", new App("social", "Facebook")),
            Map.entry("284882215", new App("social", "Facebook")),
            Map.entry("com.facebook.orca", new App("social", "Facebook Messenger")),
            Map.entry("com.instagram.android", new App("social", "Instagram")),
            Map.entry("389801252", new App("social", "Instagram")),
            Map.entry("com.twitter.android", new App("social", "Twitter")),
            Map.entry("333903271", new App("social", "Twitter")),
            Map.entry("com.linkedin.android", new App("social", "LinkedIn")),
            Map.entry("com.pinterest", new App("social", "Pinterest")),
            Map.entry("com.reddit.frontpage", new App("social", "Reddit")),
            Map.entry("com.zhiliaoapp.musically", new App("social", "TikTok")),
            Map.entry("com.whatsapp", new App("social", "WhatsApp")),
            Map.entry("org.telegram.messenger", new App("social", "Telegram")),
            Map.entry("com.slack", new App("social", "Slack")),
            Map.entry("com.google.android.youtube", new App(Channels.VIDEO, "Youtube")),
            Map.entry("544007664", new App(Channels.VIDEO, "Youtube")),
            Map.entry("com.google.android.apps.messaging", new App(Channels.SMS, "Google Messages")),
            Map.entry("com.samsung.android.messaging", new App(Channels.SMS, "Samsung Messages")));

    private AppReferrers() {
    }

    static boolean isApp(String referrer) {
        return referrer.regionMatches(true, 0, ANDROID, 0, ANDROID.length())
                || referrer.regionMatches(true, 0, IOS, 0, IOS.length());
    }

    /** The referral of an app referrer ({@link #isApp}); a referrer without an app named is malformed. */
    static Referrers.Referral classify(String referrer) {
        int start = referrer.indexOf("://") + 3;
        int end = start;
        while (end < referrer.length() && "/?#".indexOf(referrer.charAt(end)) < 0) {
            end++;
        }
        String app = referrer.substring(start, end).toLowerCase(java.util.Locale.ROOT);
        if (app.isEmpty()) {
            return Referrers.Referral.MALFORMED;
        }
        App known = APPS.get(app);
        return known != null ? new Referrers.Referral(known.channel(), known.name(), null)
                : new Referrers.Referral(Channels.APP, app, null);
    }
}
