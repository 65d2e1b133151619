package dev.speck.pixels;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Issuing tracked links and the URLs that lead to them: a link's destination with its UTM
 * parameters, the short URL Speck answers, and a recipient's signed URL for emails. Invalid input
 * is an IllegalArgumentException whose message the API shows as it is.
 */
public final class TrackedLinks {

    /** The UTM parameters a link may carry, in the order they are appended to its destination. */
    public static final List<String> UTM_KEYS = List.of("source", "medium", "campaign", "term", "content");
    private static final int MAX_UTM_VALUE = 200;

    /** Signs a recipient for a link's code (the collector checks the signature when the link is clicked). */
    @FunctionalInterface
    public interface RecipientSigner {
        String sign(String code, String recipient);
    }

    private final PixelRegistry pixels;
    private final RecipientSigner signer;

    public TrackedLinks(PixelRegistry pixels, RecipientSigner signer) {
        this.pixels = pixels;
        this.signer = signer;
    }

    /**
     * A new link of the pixel to {@code destination} (an absolute http or https URL), with the given
     * UTM values (keys of {@link #UTM_KEYS}; others are ignored) appended; utm_campaign is also its campaign.
     */
    public TrackedLink create(String pixel, String destination, Map<String, String> utm) {
        if (pixels.pixel(pixel) == null) {
            throw new IllegalArgumentException("unknown pixel '" + pixel + "'");
        }
        if (!destination.matches("https?://[^\\s\\p{Cc}\\u200b\\u2028\\u2029\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff]+")) {
            // no whitespace and no control or bidi characters: the destination is a Location header and is shown to people
            throw new IllegalArgumentException("destination must be an absolute http or https URL, without spaces or control characters");
        }
        StringBuilder url = new StringBuilder(destination);
        String campaign = null;
        for (String key : UTM_KEYS) {
            String v = utm.get(key);
            if (v != null) {
                if (v.length() > MAX_UTM_VALUE) {
                    throw new IllegalArgumentException("utm." + key + " is longer than " + MAX_UTM_VALUE + " characters");
                }
                url.append(url.indexOf("?") < 0 ? '?' : '&').append("utm_").append(key).append('=').append(enc(v));
                if (key.equals("campaign")) {
                    campaign = v;
                }
            }
        }
        return pixels.createLink(pixel, url.toString(), campaign);
    }

    /** The short URL of a link on the Speck reached at {@code baseUrl}. */
    public static String url(String baseUrl, TrackedLink link) {
        return baseUrl + "/l/" + link.code();
    }

    /** The link's URL for one recipient, signed so that a click is credited to them and to no one made up. */
    public String signedUrl(String baseUrl, TrackedLink link, String recipient) {
        return url(baseUrl, link) + "?rcpt=" + enc(recipient) + "&sig=" + signer.sign(link.code(), recipient);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
