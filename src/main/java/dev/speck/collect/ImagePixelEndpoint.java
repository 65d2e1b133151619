package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.HitParams;
import dev.speck.hit.Signals;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.http.QueryParams;
import dev.speck.http.Responses;

import dev.speck.privacy.ConsentDecision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.LinkedHashMap;
import java.util.List;
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

    private final Admission admission;
    private final CollectSettings settings;
    private final ClientAddresses addresses;
    private final Clock clock;

    ImagePixelEndpoint(Admission admission, CollectSettings settings, ClientAddresses addresses, Clock clock) {
        this.admission = admission;
        this.settings = settings;
        this.addresses = addresses;
        this.clock = clock;
    }

    void handle(ChannelHandlerContext ctx, Exchange ex, String pixelId, boolean emailOpen) {
        // Whatever the admission's result, the answer is the same GIF.
        admission.admit(pixelId, ex, drops -> List.of(emailOpen ? emailOpen(ex, pixelId, drops) : pageHit(ex, pixelId, drops)));
        Responses.gif(ctx, ex);
    }

    /** Required: the kind and, for an event or goal, its name (and a goal's value, when sent); the rest is dropped when bad. */
    private Hit pageHit(Exchange ex, String pixelId, FieldDrops drops) {
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader(), drops);
        HitKind kind = HitFields.kind(ex.param(HitParams.KIND));
        String url = HitFields.url(ex.param(HitParams.URL), HitFields.Field.URL, drops);
        if (url == null) {
            // a plain <img> tells its page this way
            url = HitFields.url(ex.header(HttpHeaderNames.REFERER), HitFields.Field.URL, drops);
        }
        String lang = HitFields.language(ex.param(HitParams.LANGUAGE), drops);
        long time = clock.hitTime(ex);
        String name = HitFields.name(kind, ex.param(HitParams.NAME));
        Hit.Page page = new Hit.Page(url, HitFields.referrer(ex.param(HitParams.REFERRER), drops),
                Limits.bounded(ex.param(HitParams.TITLE), CollectSettings.MAX_TITLE, "title"));
        Hit.Client client = facts.client(lang, HitFields.screen(ex.param(HitParams.SCREEN), drops),
                HitFields.zone(ex.param(HitParams.TIME_ZONE), drops));
        Double amount = HitFields.value(kind, ex.param(HitParams.VALUE), drops);
        Hit.Value value = new Hit.Value(amount, HitFields.currency(kind, amount, ex.param(HitParams.CURRENCY), drops));
        String consent = HitFields.consent(ex.param(HitParams.CONSENT), drops);
        Hit hit = Hit.of(time, kind, pixelId).name(name).page(page).client(client).value(value)
                .props(props(ex.params(), drops))
                .signals(ConsentDecision.signals(consent, HitFields.firstPartyId(ex.param(HitParams.FIRST_PARTY_ID), drops)))
                .build();
        if ("1".equals(ex.param(HitParams.WEBDRIVER))) {
            hit = hit.withSignal(dev.speck.hit.Signals.WEBDRIVER, "1"); // the tag saw navigator.webdriver
        }
        // identity and sig: the tag's image fallback carries speck('identify', ...) as beacons do
        return HitFields.withIdentity(hit, ex.param(HitParams.IDENTITY), ex.param(HitParams.SIGNATURE));
    }

    private Hit emailOpen(Exchange ex, String pixelId, FieldDrops drops) {
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader(), drops);
        long time = clock.hitTime(ex);
        Hit.Email email = new Hit.Email(Limits.bounded(ex.param(HitParams.MESSAGE), CollectSettings.MAX_SHORT, "message"),
                Limits.bounded(ex.param(HitParams.RECIPIENT), CollectSettings.MAX_TOKEN, "recipient token"));
        Hit open = Hit.of(time, HitKind.EMAIL_OPEN, pixelId).client(facts.client()).email(email)
                .props(props(ex.params(), drops))
                .signals(ConsentDecision.signals(HitFields.consent(ex.param(HitParams.CONSENT), drops), null)).build();
        // A signed recipient (sig) may join the reader's device to the customer; the loader checks it.
        String sig = Limits.bounded(ex.param(HitParams.SIGNATURE), CollectSettings.MAX_SHORT, "recipient signature");
        return sig == null || open.email().recipient() == null ? open : open.withSignal(Signals.IDENTITY_SIGNATURE, sig);
    }

    private Map<String, String> props(QueryParams query, FieldDrops drops) {
        Map<String, String> props = null;
        for (int i = 0; i < query.size(); i++) {
            String key = query.name(i);
            if (key.startsWith(HitParams.PROPERTY_PREFIX)) {
                String name = Limits.bounded(key.substring(HitParams.PROPERTY_PREFIX.length()), CollectSettings.MAX_PROP_KEY, "property name");
                if (name == null) {
                    drops.drop(HitFields.Field.PROPS, FieldDrops.Reason.MALFORMED); // "p.=x": that property only
                    continue;
                }
                if (props == null) {
                    props = new LinkedHashMap<>();
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
