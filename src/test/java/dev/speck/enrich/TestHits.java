package dev.speck.enrich;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.time.Instant;
import java.util.Map;

/** Builds hits for tests, with only the fields a test cares about set. */
final class TestHits {

    static final Instant NOON = Instant.parse("2025-03-14T12:00:00Z");

    private long receivedAt = NOON.toEpochMilli();
    private HitKind kind = HitKind.PAGE_VIEW;
    private String pixel = "px_shop";
    private String url = "https://shop.example/";
    private String referrer;
    private String clientIp = "203.0.113.7";
    private String userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private Map<String, String> clientHints = Map.of();
    private String timeZone;
    private String cdnCountry;
    private String campaign;

    static TestHits pageView() {
        return new TestHits();
    }

    TestHits at(Instant instant) {
        receivedAt = instant.toEpochMilli();
        return this;
    }

    TestHits kind(HitKind value) {
        kind = value;
        return this;
    }

    TestHits pixel(String value) {
        pixel = value;
        return this;
    }

    TestHits url(String value) {
        url = value;
        return this;
    }

    TestHits referrer(String value) {
        referrer = value;
        return this;
    }

    TestHits ip(String value) {
        clientIp = value;
        return this;
    }

    TestHits userAgent(String value) {
        userAgent = value;
        return this;
    }

    TestHits clientHints(Map<String, String> value) {
        clientHints = value;
        return this;
    }

    TestHits timeZone(String value) {
        timeZone = value;
        return this;
    }

    TestHits cdnCountry(String value) {
        cdnCountry = value;
        return this;
    }

    TestHits campaign(String value) {
        campaign = value;
        return this;
    }

    Hit build() {
        return Hit.of(receivedAt, kind, pixel).page(new Hit.Page(url, referrer, null))
                .client(new Hit.Client(clientIp, userAgent, clientHints, null, null, timeZone, cdnCountry))
                .email(new Hit.Email(campaign, null)).build();
    }
}
