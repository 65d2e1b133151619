package dev.speck.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names the site a visitor came from (Google, Facebook, Gmail...) and its channel, using Snowplow's
 * referrer database (referers.json, bundled in the referer-parser jar) so we do not keep our own list.
 */
final class Referrers {

    /** What a referrer says about a visit: the channel, who sent it, and the search term if any. */
    record Referral(String channel, String source, String term) {
        static final Referral DIRECT = new Referral("direct", null, null);
        static final Referral MALFORMED = new Referral("other", null, null);
    }

    /** One site of the database; paths are tried before the bare host ("google.com/imgres" before "google.com"). */
    private record Site(String channel, String name, List<String> searchParameters) {
    }

    private record Rule(String pathPrefix, Site site) {
        boolean matches(String path) {
            if (pathPrefix.isEmpty()) {
                return true;
            }
            String folder = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
            return path.equals(folder) || path.startsWith(folder + "/");
        }
    }

    private static final String DATABASE = "/referers.json";
    private static final int MAX_TERM_LENGTH = 200;

    /** Webmail the database does not know, which still means "a link in an email". */
    private static final Map<String, String> MORE_WEBMAIL = Map.of(
            "outlook.live.com", "Outlook.com",
            "outlook.office.com", "Outlook",
            "outlook.office365.com", "Outlook",
            "mail.proton.me", "Proton Mail",
            "mail.yandex.ru", "Yandex Mail",
            "mail.zoho.com", "Zoho Mail",
            "e.mail.ru", "Mail.ru",
            "navigator.web.de", "WEB.DE",
            "com.google.android.gm", "Gmail");

    /** Sites newer than the database or of a class it lacks (video), by host; tried with the parent domain too. */
    private static final Map<String, Referral> MORE_SITES = Map.ofEntries(
            Map.entry("x.com", new Referral(Channels.SOCIAL, "X", null)),
            Map.entry("tiktok.com", new Referral(Channels.SOCIAL, "TikTok", null)),
            Map.entry("threads.net", new Referral(Channels.SOCIAL, "Threads", null)),
            Map.entry("bsky.app", new Referral(Channels.SOCIAL, "Bluesky", null)),
            Map.entry("t.me", new Referral(Channels.SOCIAL, "Telegram", null)),
            Map.entry("web.whatsapp.com", new Referral(Channels.SOCIAL, "WhatsApp", null)),
            Map.entry("wa.me", new Referral(Channels.SOCIAL, "WhatsApp", null)),
            Map.entry("twitch.tv", new Referral(Channels.VIDEO, "Twitch", null)),
            Map.entry("dailymotion.com", new Referral(Channels.VIDEO, "Dailymotion", null)));

    /** Sites the database files under social that GA4 counts as video. */
    private static final Set<String> VIDEO_SITES = Set.of("Youtube", "Vimeo");

    /**
     * utm_source values that name a class without naming a site of the database (lower case); the
     * database's site names and hosts ("google", "facebook", "t.co") are looked up as well.
     */
    private static final Map<String, String> SOURCE_ALIASES = Map.ofEntries(
            Map.entry("fb", Channels.SOCIAL), Map.entry("ig", Channels.SOCIAL), Map.entry("insta", Channels.SOCIAL),
            Map.entry("x", Channels.SOCIAL), Map.entry("tiktok", Channels.SOCIAL), Map.entry("threads", Channels.SOCIAL),
            Map.entry("bluesky", Channels.SOCIAL), Map.entry("whatsapp", Channels.SOCIAL),
            Map.entry("snapchat", Channels.SOCIAL), Map.entry("telegram", Channels.SOCIAL),
            Map.entry("meta", Channels.SOCIAL), Map.entry("li", Channels.SOCIAL),
            Map.entry("youtube", Channels.VIDEO), Map.entry("yt", Channels.VIDEO), Map.entry("vimeo", Channels.VIDEO),
            Map.entry("twitch", Channels.VIDEO), Map.entry("dailymotion", Channels.VIDEO),
            Map.entry("email", Channels.EMAIL), Map.entry("e-mail", Channels.EMAIL), Map.entry("e_mail", Channels.EMAIL),
            Map.entry("e mail", Channels.EMAIL), Map.entry("newsletter", Channels.EMAIL),
            Map.entry("sms", Channels.SMS), Map.entry("firebase", Channels.PUSH));

    private final Map<String, Site> sitesByHost = new HashMap<>();
    private final Map<String, String> classBySourceName = new HashMap<>();
    private final Map<String, List<Rule>> pathRulesByHost = new HashMap<>();
    private final Cache<String, List<Rule>> rulesByHost;

    Referrers(int cacheSize) {
        this.rulesByHost = Caffeine.newBuilder().maximumSize(cacheSize).build();
        load();
    }

    /** Classifies a referrer against the page it led to; never throws. */
    Referral classify(String referrer, String pageUrl) {
        if (referrer == null || referrer.isBlank()) {
            return Referral.DIRECT;
        }
        if (AppReferrers.isApp(referrer)) {
            return AppReferrers.classify(referrer);
        }
        String host = Urls.withoutWww(Urls.host(referrer));
        if (host == null) {
            return Referral.MALFORMED;
        }
        if (host.equals(Urls.withoutWww(Urls.host(pageUrl)))) {
            return new Referral("internal", null, null);
        }
        String path = Urls.path(referrer);
        for (Rule rule : rulesByHost.get(host, this::rulesFor)) {
            if (rule.matches(path == null ? "" : path)) {
                Site site = rule.site();
                String channel = VIDEO_SITES.contains(site.name()) ? Channels.VIDEO : site.channel();
                return new Referral(channel, site.name(), searchTerm(site, referrer));
            }
        }
        Referral more = MORE_SITES.get(host);
        if (more == null && host.indexOf('.') != host.lastIndexOf('.')) {
            more = MORE_SITES.get(host.substring(host.indexOf('.') + 1));
        }
        if (more != null) {
            return more;
        }
        String webmail = MORE_WEBMAIL.get(host);
        if (webmail != null) {
            return new Referral("email", webmail, null);
        }
        if (host.startsWith("webmail.") || host.startsWith("mail.")) {
            return new Referral("email", host, null);
        }
        return new Referral("other", host, null);
    }

    /**
     * The class a utm_source value names (search, social, video, email, sms, push), or null: "google",
     * "Facebook", "t.co", "ig" and "newsletter" do, "spring-promo" does not. Any case, one map lookup.
     */
    String classOfSource(String utmSource) {
        if (utmSource == null) {
            return null;
        }
        return classBySourceName.get(Urls.withoutWww(utmSource.strip().toLowerCase(Locale.ROOT)));
    }

    /** The rules for a host and its parent domains, most specific first, ending at the first bare-host match. */
    private List<Rule> rulesFor(String host) {
        List<Rule> rules = new ArrayList<>();
        for (String candidate = host; candidate.indexOf('.') > 0; candidate = candidate.substring(candidate.indexOf('.') + 1)) {
            rules.addAll(pathRulesByHost.getOrDefault(candidate, List.of()));
            Site site = sitesByHost.get(candidate);
            if (site != null) {
                rules.add(new Rule("", site));
                break;
            }
        }
        return List.copyOf(rules);
    }

    private static String searchTerm(Site site, String referrer) {
        if (site.searchParameters().isEmpty()) {
            return null;
        }
        Map<String, String> query = Urls.query(referrer);
        for (String parameter : site.searchParameters()) {
            String value = query.get(parameter);
            if (value != null && !value.isBlank()) {
                String term = value.strip();
                return term.length() > MAX_TERM_LENGTH ? term.substring(0, MAX_TERM_LENGTH) : term;
            }
        }
        return null;
    }

    private void load() {
        try (InputStream in = Referrers.class.getResourceAsStream(DATABASE)) {
            if (in == null) {
                throw new IllegalStateException(DATABASE + " is missing from the classpath (it comes with"
                        + " com.snowplowanalytics:referer-parser)");
            }
            JsonNode media = new ObjectMapper().readTree(in);
            media.properties().forEach(medium -> medium.getValue().properties().forEach(
                    site -> add(channelOf(medium.getKey()), site.getKey(), site.getValue())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DATABASE, e);
        }
        SOURCE_ALIASES.forEach(classBySourceName::putIfAbsent);
        MORE_SITES.forEach((host, referral) -> {
            classBySourceName.putIfAbsent(host, referral.channel());
            classBySourceName.putIfAbsent(referral.source().toLowerCase(Locale.ROOT), referral.channel());
        });
        MORE_WEBMAIL.forEach((host, name) -> classBySourceName.putIfAbsent(host, Channels.EMAIL));
    }

    private void add(String channel, String name, JsonNode definition) {
        List<String> parameters = new ArrayList<>();
        definition.path("parameters").forEach(parameter -> parameters.add(parameter.asText()));
        Site site = new Site(channel, name, List.copyOf(parameters));
        if (!channel.equals(Channels.OTHER)) { // "Google" is also the unknown medium's news.google.com
            String named = VIDEO_SITES.contains(name) ? Channels.VIDEO : channel;
            classBySourceName.putIfAbsent(name.toLowerCase(Locale.ROOT), named);
            definition.path("domains").forEach(d -> {
                String host = Urls.withoutWww(d.asText().toLowerCase(Locale.ROOT));
                if (host.indexOf('/') < 0) {
                    classBySourceName.putIfAbsent(host, named);
                }
            });
        }
        for (JsonNode domainNode : definition.path("domains")) {
            String domain = Urls.withoutWww(domainNode.asText().toLowerCase(Locale.ROOT));
            int slash = domain.indexOf('/');
            if (slash < 0) {
                sitesByHost.putIfAbsent(domain, site);
            } else {
                pathRulesByHost.computeIfAbsent(domain.substring(0, slash), host -> new ArrayList<>())
                        .add(new Rule(domain.substring(slash), site));
            }
        }
    }

    /** The database's "unknown" medium holds non-search pages of search companies (news.google.co.uk). */
    private static String channelOf(String medium) {
        return switch (medium) {
            case "search", "social", "email" -> medium;
            default -> "other";
        };
    }
}
