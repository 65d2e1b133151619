package dev.speck.demo;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Synthetic but plausible visits, sent through Speck's real endpoints: skewed browsers and
 * devices, visitors from many countries (by X-Forwarded-For, trusted from loopback in the demo),
 * search, social, email and paid traffic, page views, events, goals, email opens and link clicks.
 */
final class DemoTraffic {

    record Result(int sent, int failed) {
    }

    private static final String[][] USER_AGENTS = {
            {"40", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
            {"20", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"},
            {"15", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"},
            {"8", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"},
            {"6", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"},
            {"4", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"},
            {"3", "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"},
            {"2", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
            {"2", "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"},
    };
    /** Public address blocks of a few countries; the last octet is random. */
    /** Client networks (a /24 each) and the time zone a browser there reports, so the two never contradict. */
    private static final String[][] NETWORKS = {
            {"8.8.4", "America/Los_Angeles"}, {"24.48.0", "America/Toronto"}, {"73.162.10", "America/Los_Angeles"},
            {"81.2.69", "Europe/London"}, {"86.150.3", "Europe/London"}, {"2.205.14", "Europe/Berlin"},
            {"91.64.120", "Europe/Berlin"}, {"88.163.2", "Europe/Paris"}, {"82.64.33", "Europe/Paris"},
            {"151.38.12", "Europe/Rome"}, {"83.52.77", "Europe/Madrid"}, {"145.53.9", "Europe/Amsterdam"},
            {"1.128.0", "Australia/Sydney"}, {"49.255.3", "Australia/Sydney"}, {"133.203.8", "Asia/Tokyo"},
            {"189.6.31", "America/Sao_Paulo"}, {"177.33.4", "America/Sao_Paulo"}, {"41.216.186", "Africa/Lagos"},
            {"103.21.244", "Asia/Kolkata"}, {"5.18.240", "Europe/Moscow"}, {"95.24.1", "Europe/Moscow"},
            {"187.190.38", "America/Mexico_City"}, {"24.114.8", "America/Toronto"}, {"211.104.3", "Asia/Seoul"}};
    private static final String[] PAGES = {"/", "/", "/", "/products", "/products/shoes", "/products/jackets",
            "/products/socks", "/blog/how-to-choose-running-shoes", "/blog/spring-collection", "/pricing", "/about",
            "/contact", "/cart", "/checkout"};
    private static final String[][] REFERRERS = {
            {"30", null}, {"25", "https://www.google.com/search?q=running+shoes"}, {"6", "https://www.bing.com/search?q=trail+shoes"},
            {"8", "https://www.facebook.com/"}, {"5", "https://t.co/abc123"}, {"4", "https://www.instagram.com/"},
            {"4", "https://news.ycombinator.com/"}, {"3", "https://duckduckgo.com/"}, {"3", "https://www.reddit.com/r/running/"},
            {"2", "https://blog.example.org/review"}};
    private static final String[] CAMPAIGNS = {"utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale",
            "utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=Cj0KCQ", "utm_source=facebook&utm_medium=paid_social&utm_campaign=retargeting",
            "utm_source=partner&utm_medium=referral&utm_campaign=affiliate"};
    private final String base;
    private final String pixel;
    private final String linkCode;
    private final String backfillToken;
    private final int days;
    private final int visitsPerDay;
    private final Random random = new Random(42);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DemoTraffic(String base, String pixel, String linkCode, String backfillToken, int days, int visitsPerDay) {
        this.base = base;
        this.pixel = pixel;
        this.linkCode = linkCode;
        this.backfillToken = backfillToken;
        this.days = days;
        this.visitsPerDay = visitsPerDay;
    }

    Result replay() throws InterruptedException {
        Semaphore inFlight = new Semaphore(16);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(days - 1L, ChronoUnit.DAYS);
        long now = System.currentTimeMillis();
        for (int day = 0; day < days; day++) {
            int visits = (int) (visitsPerDay * (0.8 + 0.4 * random.nextDouble()));
            for (int v = 0; v < visits; v++) {
                long t = start.plus(day, ChronoUnit.DAYS).toEpochMilli() + (long) (random.nextGaussian() * 3 + 14) * 3_600_000L
                        + random.nextInt(3_600_000);
                t = Math.min(Math.max(t, start.plus(day, ChronoUnit.DAYS).toEpochMilli()), now - 1000);
                for (HttpRequest request : visit(t)) {
                    inFlight.acquire();
                    sent.incrementAndGet();
                    pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .whenComplete((r, e) -> {
                                inFlight.release();
                                if (e != null || r.statusCode() >= 400) {
                                    failed.incrementAndGet();
                                }
                            }));
                }
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return new Result(sent.get(), failed.get());
    }

    /** One visitor's visit: a landing page view, maybe more pages, maybe a goal. */
    private List<HttpRequest> visit(long t) {
        List<HttpRequest> requests = new ArrayList<>();
        String ua = weighted(USER_AGENTS);
        String[] network = NETWORKS[(int) Math.min(NETWORKS.length - 1, Math.abs(random.nextGaussian()) * 8)];
        String ip = network[0] + "." + (1 + random.nextInt(250));
        String zone = network[1];
        String referrer = weighted(REFERRERS);
        String landing = PAGES[random.nextInt(PAGES.length)];
        String query = random.nextInt(5) == 0 ? "?" + CAMPAIGNS[random.nextInt(CAMPAIGNS.length)] : "";
        if (query.contains("newsletter") && random.nextBoolean()) {
            requests.add(get("/o/" + pixel + ".gif?m=spring-sale&rcpt=r" + random.nextInt(500), ua, ip, t - 600_000));
            requests.add(get("/l/" + linkCode, ua, ip, t - 60_000));
        }
        String page = "https://shop.example.com" + landing + query;
        requests.add(pageView(page, referrer, ua, ip, zone, t));
        int more = random.nextInt(4);
        for (int i = 0; i < more; i++) {
            String next = "https://shop.example.com" + PAGES[random.nextInt(PAGES.length)];
            requests.add(pageView(next, page, ua, ip, zone, t + (i + 1) * 45_000L));
            page = next;
        }
        if (random.nextInt(8) == 0) {
            requests.add(hit("k=goal&n=signup&u=" + enc(page), ua, ip, zone, t + 300_000));
        }
        if (random.nextInt(12) == 0) {
            double value = 20 + random.nextInt(180) + 0.9;
            requests.add(hit("k=goal&n=purchase&v=" + value + "&cur=EUR&u=" + enc("https://shop.example.com/checkout")
                    + "&p.items=" + (1 + random.nextInt(3)), ua, ip, zone, t + 400_000));
        }
        if (random.nextInt(6) == 0) {
            requests.add(hit("k=event&n=newsletter_form_view&u=" + enc(page), ua, ip, zone, t + 120_000));
        }
        return requests;
    }

    private HttpRequest pageView(String url, String referrer, String ua, String ip, String zone, long t) {
        String q = "u=" + enc(url) + (referrer == null ? "" : "&r=" + enc(referrer)) + "&t=" + enc("Demo shop")
                + "&sr=" + (ua.contains("Mobile") ? "390x844" : "1920x1080");
        return hit(q, ua, ip, zone, t);
    }

    private HttpRequest hit(String query, String ua, String ip, String zone, long t) {
        return get("/p/" + pixel + ".gif?" + query + "&tz=" + enc(zone), ua, ip, t);
    }

    private HttpRequest get(String pathAndQuery, String ua, String ip, long t) {
        String sep = pathAndQuery.contains("?") ? "&" : "?";
        t = Math.min(t, System.currentTimeMillis()); // later steps of today's last visits must not be in the future
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery + sep + "ts=" + t))
                .header("User-Agent", ua)
                .header("X-Forwarded-For", ip)
                .header("Accept-Language", "en-US,en;q=0.8")
                .header("X-Speck-Backfill", backfillToken)
                .timeout(Duration.ofSeconds(30))
                .GET().build();
    }

    private String weighted(String[][] table) {
        int total = 0;
        for (String[] row : table) {
            total += Integer.parseInt(row[0]);
        }
        int pick = random.nextInt(total);
        for (String[] row : table) {
            pick -= Integer.parseInt(row[0]);
            if (pick < 0) {
                return row[1];
            }
        }
        return table[0][1];
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
