package dev.speck.collect;

import java.util.List;

/**
 * What the collector accepts.
 *
 * @param trustedProxies  CIDR ranges whose X-Forwarded-For (and country header) are believed
 * @param countryHeader   a header a trusted CDN sets with the visitor's country (e.g. CF-IPCountry), or null
 * @param backfillToken   when set, a request with header X-Speck-Backfill carrying it may set the hit's
 *                        time with the {@code ts} parameter (epoch ms): for imports and the demo
 * @param maxBatchEvents  most events one beacon may carry
 * @param maxProps        most custom properties one hit may carry
 */
public record CollectSettings(
        List<String> trustedProxies,
        String countryHeader,
        String backfillToken,
        int maxBatchEvents,
        int maxProps) {

    /** Longest accepted page URL or referrer, in characters. */
    public static final int MAX_URL = 4096;
    public static final int MAX_TITLE = 1024;
    public static final int MAX_NAME = 128;
    public static final int MAX_USER_AGENT = 1024;
    public static final int MAX_PROP_KEY = 64;
    public static final int MAX_PROP_VALUE = 1024;
    public static final int MAX_SHORT = 128;
    public static final int MAX_TOKEN = 256;

    public CollectSettings {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
