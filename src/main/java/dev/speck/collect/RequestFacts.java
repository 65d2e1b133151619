package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitParams;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.HashMap;
import java.util.Map;

/**
 * What the request itself says about the visitor, whatever kind of hit it carries: address,
 * user agent and client hints, language, a trusted CDN's country.
 */
record RequestFacts(String clientIp, String userAgent, Map<String, String> clientHints, String language,
                    String cdnCountry) {

    private static final int MAX_HINTS = 12;
    private static final String HINTS = HitParams.Headers.CLIENT_HINTS_PREFIX;

    /**
     * @param drops notes a client address a trusted proxy forwarded unusably ({@code client_address}):
     *              the hit is kept without an address, so without geodata and a cookieless visitor id
     */
    static RequestFacts of(Exchange ex, ClientAddresses addresses, String countryHeader, FieldDrops drops) {
        HttpHeaders h = ex.request().headers();
        ClientAddresses.Resolved address = addresses.visitor(ex.remote(), h);
        String ip = address.ip();
        if (ip == null) {
            drops.drop(HitFields.Field.CLIENT_ADDRESS, "unknown".equals(address.unusable())
                    ? FieldDrops.Reason.UNKNOWN : FieldDrops.Reason.MALFORMED);
        }
        String ua = Limits.truncate(h.get(HttpHeaderNames.USER_AGENT), CollectSettings.MAX_USER_AGENT);
        Map<String, String> hints = null;
        // Over the headers as they were decoded: most hits have no hints, and turning every header
        // into a String pair first showed in profiles of the event loop.
        for (java.util.Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            if (name.length() > HINTS.length() && AsciiString.regionMatches(name, true, 0, HINTS, 0, HINTS.length())) {
                if (hints == null) {
                    hints = new HashMap<>();
                }
                if (hints.size() < MAX_HINTS) {
                    hints.put(name.toString().toLowerCase(java.util.Locale.ROOT),
                            Limits.truncate(e.getValue().toString(), CollectSettings.MAX_USER_AGENT));
                }
            }
        }
        String language = firstLanguage(h.get(HttpHeaderNames.ACCEPT_LANGUAGE));
        String country = null;
        if (countryHeader != null && addresses.isTrusted(ex.remote())) {
            country = Limits.truncate(h.get(countryHeader), 8);
        }
        return new RequestFacts(ip, ua, hints, language, country);
    }

    /**
     * The visitor's browser as this request and the tag describe it: the tag's language, when it
     * sent one, before the Accept-Language header's.
     */
    Hit.Client client(String tagLanguage, String screen, String timeZone) {
        return new Hit.Client(clientIp, userAgent, clientHints, tagLanguage != null ? tagLanguage : language, screen,
                timeZone, cdnCountry);
    }

    /** The visitor's browser as this request alone describes it (email opens and clicks run no tag). */
    Hit.Client client() {
        return client(null, null, null);
    }

    /** The preferred language tag of an Accept-Language header ("de-CH,de;q=0.9" → "de-CH"). */
    static String firstLanguage(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return null;
        }
        int end = acceptLanguage.length();
        for (int i = 0; i < acceptLanguage.length(); i++) {
            char c = acceptLanguage.charAt(i);
            if (c == ',' || c == ';') {
                end = i;
                break;
            }
        }
        String tag = acceptLanguage.substring(0, end).trim();
        return tag.isEmpty() || tag.equals("*") ? null : Limits.truncate(tag, 35);
    }
}
