package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.Rejection;
import dev.speck.hit.Signals;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.http.QueryParams;
import dev.speck.http.Responses;

import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The image pixel ({@code GET /p/{pixel}.gif}) and the email open pixel ({@code GET /o/{pixel}.gif}).
 * Whatever happens, the answer is the GIF: a page or an email must never show a broken image.
 * Parameters: k (page_view, event, goal), n (name), u (page URL, else the Referer header),
 * r (the page's referrer), t (title), sr, lang, tz, v (value), cur (currency), p.KEY (custom
 * properties), consent (granted, denied) and fpid (the tag's first-party id); for email opens
 * m (the message or campaign) and rcpt (the recipient token).
 */
final class ImagePixelEndpoint {

    private final PixelRegistry pixels;
    private final HitRecorder recorder;
    private final CollectSettings settings;
    private final ClientAddresses addresses;
    private final Clock clock;
    private final PrivacyGate privacy;

    ImagePixelEndpoint(PixelRegistry pixels, HitRecorder recorder, CollectSettings settings,
                       ClientAddresses addresses, Clock clock, PrivacyGate privacy) {
        this.privacy = privacy;
        this.pixels = pixels;
        this.recorder = recorder;
        this.settings = settings;
        this.addresses = addresses;
        this.clock = clock;
    }

    void handle(ChannelHandlerContext ctx, Exchange ex, String pixelId, boolean emailOpen) {
        record(ex, pixelId, emailOpen);
        Responses.gif(ctx, ex);
    }

    private void record(Exchange ex, String pixelId, boolean emailOpen) {
        Pixel pixel = pixels.pixel(pixelId);
        if (pixel == null) {
            recorder.reject(Rejection.UNKNOWN_PIXEL);
            return;
        }
        if (!pixel.enabled()) {
            recorder.reject(Rejection.DISABLED_PIXEL, pixelId);
            return;
        }
        if (privacy.refuse(ex, pixel) != null) {
            return;
        }
        Hit hit;
        try {
            hit = emailOpen ? emailOpen(ex, pixelId) : pageHit(ex, pixelId);
        } catch (Limits.TooLarge e) {
            recorder.reject(Rejection.TOO_LARGE, pixelId);
            return;
        } catch (IllegalArgumentException e) {
            recorder.reject(Rejection.MALFORMED_REQUEST, pixelId);
            return;
        }
        hit = privacy.apply(hit, pixel);
        if (hit != null) {
            recorder.record(hit);
        }
    }

    private Hit pageHit(Exchange ex, String pixelId) {
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader());
        HitKind kind = HitFields.kind(ex.param("k"));
        String url = ex.param("u");
        if (url == null) {
            url = ex.header(HttpHeaderNames.REFERER); // a plain <img> tells its page this way
        }
        String lang = HitFields.language(ex.param("lang"));
        long time = clock.hitTime(ex);
        String name = HitFields.name(kind, ex.param("n"));
        Hit.Page page = new Hit.Page(HitFields.url(url, "page URL"), HitFields.url(ex.param("r"), "referrer"),
                Limits.bounded(ex.param("t"), CollectSettings.MAX_TITLE, "title"));
        Hit.Client client = facts.client(lang, HitFields.screen(ex.param("sr")), HitFields.zone(ex.param("tz")));
        Hit.Value value = new Hit.Value(HitFields.value(ex.param("v")), HitFields.currency(ex.param("cur")));
        Hit hit = Hit.of(time, kind, pixelId).name(name).page(page).client(client).value(value)
                .props(props(ex.params())).signals(PrivacyGate.signals(ex.param("consent"), ex.param("fpid"))).build();
        // identity and sig: the tag's image fallback carries speck('identify', ...) as beacons do
        return HitFields.withIdentity(hit, ex.param("identity"), ex.param("sig"));
    }

    private Hit emailOpen(Exchange ex, String pixelId) {
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader());
        long time = clock.hitTime(ex);
        Hit.Email email = new Hit.Email(Limits.bounded(ex.param("m"), CollectSettings.MAX_SHORT, "message"),
                Limits.bounded(ex.param("rcpt"), CollectSettings.MAX_TOKEN, "recipient token"));
        Hit open = Hit.of(time, HitKind.EMAIL_OPEN, pixelId).client(facts.client()).email(email)
                .props(props(ex.params())).signals(PrivacyGate.signals(ex.param("consent"), null)).build();
        // A signed recipient (sig) may join the reader's device to the customer; the loader checks it.
        String sig = Limits.bounded(ex.param("sig"), CollectSettings.MAX_SHORT, "recipient signature");
        return sig == null || open.email().recipient() == null ? open : open.withSignal(Signals.IDENTITY_SIGNATURE, sig);
    }

    private Map<String, String> props(QueryParams query) {
        Map<String, String> props = null;
        for (int i = 0; i < query.size(); i++) {
            String key = query.name(i);
            if (key.startsWith("p.")) {
                if (props == null) {
                    props = new LinkedHashMap<>();
                }
                String name = Limits.bounded(key.substring(2), CollectSettings.MAX_PROP_KEY, "property name");
                if (name == null) {
                    throw new IllegalArgumentException("empty property name");
                }
                if (props.containsKey(name)) {
                    continue; // the first value counts, as for every other parameter
                }
                props.put(name, Limits.bounded(query.value(i), CollectSettings.MAX_PROP_VALUE, "property " + name));
                if (props.size() > settings.maxProps()) {
                    throw new Limits.TooLarge("more than " + settings.maxProps() + " properties");
                }
            }
        }
        return props;
    }
}
