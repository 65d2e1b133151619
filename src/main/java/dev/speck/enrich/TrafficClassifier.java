package dev.speck.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.Signals;

import java.util.List;
import java.util.Locale;

/**
 * Gives every hit a {@link TrafficQuality}: an admin's rules first, then Speck's own test hit, the
 * tag's navigator.webdriver signal, the mail providers' address ranges (for email opens and link
 * clicks), and what the user agent says (automation markers, email image
 * proxies, scanners, server-side libraries, YAUAA's robot classes, the crawler list). The user-agent
 * part is cached per agent: a site's hits repeat a few hundred agents, the crawler list costs tens of
 * microseconds per new one.
 */
public final class TrafficClassifier {

    /** The console's test hit: an event of this name with the property test=true (see PixelHealthRoutes). */
    public static final String TEST_EVENT = "speck_test";

    /** YAUAA device classes of robots; Hacker is a scanner. */
    private static final List<String> ROBOT_CLASSES = List.of("Robot", "Robot Mobile", "Robot Imitator", "Spy");

    private static final int MAX_AGENT = 2048;

    private final Cache<String, TrafficQuality> byAgent;
    private final MailProxyRanges mailProxies = MailProxyRanges.shipped();
    private volatile CrawlerPatterns crawlers;
    private volatile List<TrafficRule.Compiled> rules = List.of();

    public TrafficClassifier(int cacheSize) {
        this.byAgent = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    /** From now on these rules come first (earlier in the list wins); the change holds for the next hit. */
    public void useRules(List<TrafficRule> rules) {
        this.rules = rules.stream().map(TrafficRule::compile).toList();
    }

    /** Loads the crawler list now (a few milliseconds), so the first hit does not. */
    void warmUp() {
        crawlers();
    }

    /**
     * @param hit    the hit as received (with its user agent and address)
     * @param device what the user-agent analyzer made of it
     */
    public TrafficQuality classify(Hit hit, Device device) {
        Hit.Client client = hit.client();
        String ua = client.userAgent() == null ? null
                : client.userAgent().length() > MAX_AGENT ? client.userAgent().substring(0, MAX_AGENT) : client.userAgent();
        List<TrafficRule.Compiled> current = rules;
        if (!current.isEmpty()) {
            String lower = ua == null ? null : ua.toLowerCase(Locale.ROOT);
            for (TrafficRule.Compiled rule : current) {
                if (rule.matches(ua, lower, client.ip())) {
                    return TrafficQuality.of(rule.rule().verdict(), rule.rule().reason());
                }
            }
        }
        if (TEST_EVENT.equals(hit.name()) && "true".equals(hit.props().get("test"))) {
            return TrafficQuality.of(Verdict.TEST, "speck-test");
        }
        if ("1".equals(hit.signals().get(Signals.WEBDRIVER))) {
            return TrafficQuality.of(Verdict.AUTOMATION, "webdriver");
        }
        TrafficQuality fromMailProvider = mailProxies.classify(hit.kind(), client.ip());
        if (fromMailProvider != null) {
            return fromMailProvider;
        }
        if (ua == null || ua.isBlank()) {
            return TrafficQuality.of(Verdict.SERVER, "no-user-agent");
        }
        if (ua.equals("Mozilla/5.0")) {
            // Apple Mail Privacy Protection fetches images with this bare agent; nothing else human sends it
            return hit.kind() == HitKind.EMAIL_OPEN ? TrafficQuality.of(Verdict.EMAIL_PROXY, "email-proxy:apple")
                    : TrafficQuality.of(Verdict.BOT, "bare-agent");
        }
        Device d = device == null ? Device.UNKNOWN : device;
        return byAgent.get(ua, a -> byAgent(a, d));
    }

    private TrafficQuality byAgent(String ua, Device device) {
        TrafficQuality marked = AgentMarkers.classify(ua.toLowerCase(Locale.ROOT));
        if (marked != null) {
            return marked;
        }
        String deviceClass = device.deviceClass();
        if (ROBOT_CLASSES.contains(deviceClass)) {
            return TrafficQuality.of(Verdict.BOT, "yauaa:" + deviceClass.replace(' ', '-'));
        }
        if ("Hacker".equals(deviceClass)) {
            return TrafficQuality.of(Verdict.SCANNER, "yauaa:Hacker");
        }
        if (crawlers().matches(ua)) {
            return TrafficQuality.of(Verdict.BOT, "crawler-list");
        }
        return TrafficQuality.HUMAN;
    }

    private CrawlerPatterns crawlers() {
        CrawlerPatterns loaded = crawlers;
        if (loaded == null) {
            synchronized (this) {
                loaded = crawlers;
                if (loaded == null) {
                    loaded = CrawlerPatterns.shipped();
                    crawlers = loaded;
                }
            }
        }
        return loaded;
    }
}
