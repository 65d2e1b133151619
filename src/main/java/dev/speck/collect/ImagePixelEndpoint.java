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

    /**
     * Required: the kind and, for an event or goal, its name (and a goal's value, when sent); the
     * rest is dropped when bad, including a value that does not decode ({@link HitFields#optional}).
     */
    private Hit pageHit(Exchange ex, String pixelId, FieldDrops drops) {
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader(), drops);
        HitKind kind = HitFields.kind(ex.param(HitParams.KIND));
        String url = HitFields.url(HitFields.optional(ex, HitParams.URL, HitFields.Field.URL, drops), HitFields.Field.URL, drops);
        if (url == null) {
            // a plain <img> tells its page this way
            url = HitFields.url(HitFields.header(ex, HttpHeaderNames.REFERER, HitFields.Field.URL, drops),
                    HitFields.Field.URL, drops);
        }
        String lang = HitFields.language(optional(ex, HitParams.LANGUAGE, HitFields.Field.LANGUAGE, drops), drops);
        long time = clock.hitTime(ex);
        String name = HitFields.name(kind, ex.param(HitParams.NAME));
        Hit.Page page = new Hit.Page(url,
                HitFields.referrer(optional(ex, HitParams.REFERRER, HitFields.Field.REFERRER, drops), drops),
                Limits.bounded(optional(ex, HitParams.TITLE, HitFields.Field.TITLE, drops), CollectSettings.MAX_TITLE, "title"));
        Hit.Client client = facts.client(lang, HitFields.screen(optional(ex, HitParams.SCREEN, HitFields.Field.SCREEN, drops), drops),
                HitFields.zone(optional(ex, HitParams.TIME_ZONE, HitFields.Field.TIME_ZONE, drops), drops));
        java.math.BigDecimal amount = HitFields.value(kind, kind == HitKind.GOAL ? ex.param(HitParams.VALUE)
                : optional(ex, HitParams.VALUE, HitFields.Field.VALUE, drops), drops);
        String currency = kind == HitKind.GOAL && amount != null ? ex.param(HitParams.CURRENCY)
                : optional(ex, HitParams.CURRENCY, HitFields.Field.CURRENCY, drops);
        Hit.Value value = new Hit.Value(amount, HitFields.currency(kind, amount, currency, drops));
        String consent = HitFields.consent(optional(ex, HitParams.CONSENT, HitFields.Field.CONSENT, drops), drops);
        Hit hit = Hit.of(time, kind, pixelId).name(name).page(page).client(client).value(value)
                .props(props(ex.params(), drops))
                .signals(ConsentDecision.signals(consent, HitFields.firstPartyId(
                        optional(ex, HitParams.FIRST_PARTY_ID, HitFields.Field.FIRST_PARTY_ID, drops), drops)))
                .build();
        if ("1".equals(ex.param(HitParams.WEBDRIVER))) {
            hit = hit.withSignal(dev.speck.hit.Signals.WEBDRIVER, "1"); // the tag saw navigator.webdriver
        }
        // identity and sig: the tag's image fallback carries speck('identify', ...) as beacons do
        return HitFields.withIdentity(hit, optional(ex, HitParams.IDENTITY, HitFields.Field.IDENTITY, drops),
                optional(ex, HitParams.SIGNATURE, HitFields.Field.IDENTITY, drops));
    }

    private Hit emailOpen(Exchange ex, String pixelId, FieldDrops drops) {
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader(), drops);
        long time = clock.hitTime(ex);
        Hit.Email email = new Hit.Email(
                Limits.bounded(optional(ex, HitParams.MESSAGE, HitFields.Field.MESSAGE, drops), CollectSettings.MAX_SHORT, "message"),
                Limits.bounded(optional(ex, HitParams.RECIPIENT, HitFields.Field.RECIPIENT, drops), CollectSettings.MAX_TOKEN,
                        "recipient token"));
        Hit open = Hit.of(time, HitKind.EMAIL_OPEN, pixelId).client(facts.client()).email(email)
                .props(props(ex.params(), drops))
                .signals(ConsentDecision.signals(HitFields.consent(
                        optional(ex, HitParams.CONSENT, HitFields.Field.CONSENT, drops), drops), null)).build();
        // A signed recipient (sig) may join the reader's device to the customer; the loader checks it.
        String sig = Limits.bounded(optional(ex, HitParams.SIGNATURE, HitFields.Field.SIGNATURE, drops),
                CollectSettings.MAX_SHORT, "recipient signature");
        return sig == null || open.email().recipient() == null ? open : open.withSignal(Signals.IDENTITY_SIGNATURE, sig);
    }

    private static String optional(Exchange ex, String param, String field, FieldDrops drops) {
        return HitFields.optional(ex, param, field, drops);
    }

    private Map<String, String> props(QueryParams query, FieldDrops drops) {
        Map<String, String> props = null;
        for (int i = 0; i < query.unreadableNames(); i++) {
            drops.drop(HitFields.Field.PROPS, FieldDrops.Reason.MALFORMED); // the tag's own names are ASCII: a property's
        }
        for (int i = 0; i < query.size(); i++) {
            String key = query.name(i);
            if (key.startsWith(HitParams.PROPERTY_PREFIX)) {
                if (query.problem(i) != null) {
                    drops.drop(HitFields.Field.PROPS, HitFields.reason(query.problem(i))); // that property only
                    continue;
                }
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
