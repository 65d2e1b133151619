package dev.speck.bench;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;

/**
 * Realistic image hits for the benchmarks, the same mix as bench/traffic.lua: user agents from real
 * browser, OS, version and device templates (popular ones often, a long tail once), client
 * addresses from hundreds of /16s, hundreds of pages, search/social/other/no referrers, some UTM tags.
 */
final class SampleHits {

    private static final String[] WINDOWS = {"Windows NT 10.0; Win64; x64", "Windows NT 10.0; WOW64",
            "Windows NT 6.1; Win64; x64", "Windows NT 6.3; Win64; x64", "Windows NT 10.0"};
    private static final String[] LINUXES = {"X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64"};
    private static final String[] ANDROIDS = {"SM-G991B", "SM-S901B", "SM-S911B", "SM-A536B", "SM-A525F", "SM-G780F",
            "SM-N986B", "Pixel 6", "Pixel 7", "Pixel 7 Pro", "Pixel 8", "Pixel 5", "M2101K6G", "2201117TY",
            "Redmi Note 9 Pro", "CPH2219", "moto g(60)", "motorola edge 30", "LE2113", "VOG-L29", "RMX3085"};
    private static final String[] SECTIONS = {"blog", "docs", "products", "pricing", "about", "news", "help", "shop"};
    private static final String[] WORDS = {"getting-started", "release-notes", "privacy", "tracking", "pixels",
            "email-opens", "campaigns", "self-hosting", "metrics", "install", "faq", "contact", "api", "goals"};
    private static final String[] REFERRERS = {"https://www.google.com/search?q=tracking+pixel",
            "https://www.bing.com/search?q=self+hosted+analytics", "https://duckduckgo.com/?q=privacy+analytics",
            "https://t.co/abc123", "https://www.facebook.com/", "https://www.linkedin.com/feed/",
            "https://news.ycombinator.com/item?id=38000000", "https://www.reddit.com/r/selfhosted/",
            "https://blog.example.org/pixels", "https://github.com/speck"};
    private static final String[] ZONES = {"Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo",
            "America/Los_Angeles", "Australia/Sydney"};
    private static final String[] SCREENS = {"1920x1080", "1366x768", "2560x1440", "390x844", "412x915", "375x667"};

    private final SplittableRandom random;

    SampleHits(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code count} distinct user agents. */
    List<String> userAgents(int count) {
        Set<String> uas = new LinkedHashSet<>();
        while (uas.size() < count) {
            uas.add(userAgent());
        }
        return new ArrayList<>(uas);
    }

    /**
     * {@code count} hits whose user agents come from {@code uas}: each at least once when there is
     * room, the rest by a Zipf-like popularity (exponent 1).
     */
    List<Hit> hits(int count, List<String> uas) {
        double[] cdf = zipf(uas.size());
        List<Hit> hits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String ua = i < uas.size() ? uas.get(i) : uas.get(rank(cdf));
            hits.add(hit(ua));
        }
        java.util.Collections.shuffle(hits, new java.util.Random(random.nextLong()));
        return hits;
    }

    Hit hit(String ua) {
        String page = "https://example.com/" + pick(SECTIONS) + "/" + pick(WORDS)
                + (random.nextInt(100) < 15 ? "?utm_source=newsletter&utm_medium=email&utm_campaign=spring" : "");
        String referrer = random.nextInt(100) < 40 ? null : pick(REFERRERS);
        String ip = (2 + random.nextInt(220)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        return Hit.of(System.currentTimeMillis(), HitKind.PAGE_VIEW, "bench")
                .page(new Hit.Page(page, referrer, "Example page"))
                .client(new Hit.Client(ip, ua, Map.of(), "en-US", pick(SCREENS), pick(ZONES), null)).build();
    }

    private String userAgent() {
        int r = random.nextInt(100);
        String chrome = (96 + random.nextInt(29)) + ".0." + (4600 + random.nextInt(1800)) + "." + random.nextInt(210);
        if (r < 30) {
            String os = random.nextInt(10) < 7 ? pick(WINDOWS) : random.nextBoolean() ? mac() : pick(LINUXES);
            return "Mozilla/5.0 (" + os + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + chrome + " Safari/537.36";
        } else if (r < 52) {
            return "Mozilla/5.0 (Linux; Android " + (9 + random.nextInt(6)) + "; " + pick(ANDROIDS)
                    + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + chrome + " Mobile Safari/537.36";
        } else if (r < 70) {
            int major = 14 + random.nextInt(4);
            return "Mozilla/5.0 (iPhone; CPU iPhone OS " + major + "_" + random.nextInt(8)
                    + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/" + major + "."
                    + random.nextInt(7) + " Mobile/15E148 Safari/604.1";
        } else if (r < 78) {
            return "Mozilla/5.0 (" + mac() + ") AppleWebKit/605.1.15 (KHTML, like Gecko) Version/"
                    + (14 + random.nextInt(4)) + "." + random.nextInt(7) + " Safari/605.1.15";
        } else if (r < 88) {
            String v = (88 + random.nextInt(38)) + ".0";
            return "Mozilla/5.0 (" + pick(WINDOWS) + "; rv:" + v + ") Gecko/20100101 Firefox/" + v;
        } else if (r < 95) {
            return "Mozilla/5.0 (" + pick(WINDOWS) + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + chrome
                    + " Safari/537.36 Edg/" + chrome.substring(0, chrome.indexOf('.')) + ".0."
                    + (1000 + random.nextInt(1500)) + "." + random.nextInt(100);
        }
        return "Mozilla/5.0 (Linux; Android " + (10 + random.nextInt(5)) + "; " + pick(ANDROIDS)
                + ") AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/" + (16 + random.nextInt(9)) + "."
                + random.nextInt(10) + " Chrome/" + chrome + " Mobile Safari/537.36";
    }

    private String mac() {
        return "Macintosh; Intel Mac OS X 10_" + (13 + random.nextInt(3)) + "_" + random.nextInt(8);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static double[] zipf(int n) {
        double[] cdf = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += 1.0 / (i + 1);
            cdf[i] = total;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= total;
        }
        return cdf;
    }

    private int rank(double[] cdf) {
        int i = java.util.Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(i >= 0 ? i : -i - 1, cdf.length - 1);
    }
}
