package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.HitParams;
import dev.speck.hit.Rejection;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.http.Json;
import dev.speck.http.JsonErrors;
import dev.speck.http.Responses;
import dev.speck.http.Utf8;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.speck.pixels.Pixel;
import dev.speck.privacy.ConsentDecision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JS tag's endpoint, {@code POST /p/{pixel}/events}: a JSON event, an array of them, or
 * {"events": [...]}. Sent as text/plain by sendBeacon (no preflight) or as JSON by fetch; CORS
 * answers only the origins the pixel allows. A batch is checked whole before any of it is journaled.
 */
final class BeaconEndpoint {

    /** One JSON document per body, each field once. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // a value stays the decimal that was sent
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8).maxStringLength(16 * 1024).maxNumberLength(32).build());
    }

    private final Admission admission;
    private final HitRecorder recorder;
    private final CollectSettings settings;
    private final ClientAddresses addresses;
    private final Clock clock;

    BeaconEndpoint(Admission admission, HitRecorder recorder, CollectSettings settings, ClientAddresses addresses,
                   Clock clock) {
        this.admission = admission;
        this.recorder = recorder;
        this.settings = settings;
        this.addresses = addresses;
        this.clock = clock;
    }

    void handle(ChannelHandlerContext ctx, Exchange ex, String pixelId) {
        Pixel pixel = admission.pixel(pixelId);
        String origin = ex.header(HttpHeaderNames.ORIGIN);
        if (pixel == null) {
            unknownPixel(ctx, ex, pixelId);
            return;
        }
        if (!pixel.allowsOrigin(origin)) {
            recorder.reject(Rejection.ORIGIN_NOT_ALLOWED, pixelId);
            Responses.error(ctx, ex, HttpResponseStatus.FORBIDDEN,
                    "origin " + origin + " is not allowed to send hits to this pixel");
            return;
        }
        HttpHeaders cors = cors(origin);
        if (ex.request().method() == HttpMethod.OPTIONS) {
            cors.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "content-type")
                    .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
            Responses.send(ctx, ex, HttpResponseStatus.NO_CONTENT, null, new byte[0], cors);
            return;
        }
        if (ex.request().method() != HttpMethod.POST) {
            Responses.error(ctx, ex, HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST");
            return;
        }
        Admission.Result result = admission.admit(pixel, ex, drops -> {
            try {
                return parse(ex, pixelId, drops);
            } catch (IOException e) { // a malformed request like any other, said in Speck's words
                if (JsonErrors.isTooLarge(e)) {
                    throw new Limits.TooLarge(JsonErrors.describe(e));
                }
                throw new IllegalArgumentException(JsonErrors.describe(e));
            }
        });
        answer(ctx, ex, pixelId, result, cors);
    }

    private static void unknownPixel(ChannelHandlerContext ctx, Exchange ex, String pixelId) {
        Responses.error(ctx, ex, HttpResponseStatus.NOT_FOUND, "unknown pixel '" + pixelId + "'");
    }

    private static void answer(ChannelHandlerContext ctx, Exchange ex, String pixelId, Admission.Result result,
                               HttpHeaders cors) {
        switch (result) {
            case Admission.Admitted a -> Responses.send(ctx, ex, HttpResponseStatus.ACCEPTED, "application/json",
                    ("{\"accepted\":" + a.acknowledged() + "}").getBytes(), cors);
            case Admission.Refused r -> // answered, not recorded
                    Responses.send(ctx, ex, HttpResponseStatus.NO_CONTENT, null, new byte[0], cors);
            case Admission.Rejected r when r.reason() == Rejection.DISABLED_PIXEL ->
                    Responses.send(ctx, ex, HttpResponseStatus.FORBIDDEN, "application/json",
                            "{\"error\":\"pixel is disabled\"}".getBytes(), cors);
            case Admission.Rejected r when r.reason() == Rejection.TOO_LARGE ->
                    Responses.send(ctx, ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "application/json",
                            ("{\"error\":" + Json.quote(r.detail()) + "}").getBytes(), cors);
            case Admission.Rejected r -> Responses.send(ctx, ex, HttpResponseStatus.BAD_REQUEST, "application/json",
                    ("{\"error\":" + Json.quote(r.detail() == null ? "malformed request" : r.detail()) + "}").getBytes(),
                    cors);
            case Admission.Unavailable u -> {
                cors.set(HttpHeaderNames.RETRY_AFTER, "5");
                Responses.send(ctx, ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                        ("{\"error\":\"Speck cannot take more hits right now\",\"accepted\":" + u.acknowledged() + "}")
                                .getBytes(), cors);
            }
            case Admission.UnknownPixel u -> unknownPixel(ctx, ex, pixelId);
        }
    }

    private static HttpHeaders cors(String origin) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (origin != null) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin).set(HttpHeaderNames.VARY, "Origin");
        }
        return h;
    }

    private List<Hit> parse(Exchange ex, String pixelId, FieldDrops drops) throws IOException {
        if (ex.request().content().readableBytes() == 0) {
            throw new IllegalArgumentException("body is empty: send a JSON event or {\"events\": [...]}");
        }
        // Decoded before parsing, bytes that are no UTF-8 replaced by U+FFFD: the field that holds
        // them is then dropped alone (Utf8.isWellFormed), where the parser would refuse the body.
        JsonNode root = JSON.readTree(ex.request().content().toString(StandardCharsets.UTF_8));
        JsonNode events = root != null && root.isObject() && root.has(HitParams.Beacon.EVENTS) ? root.get(HitParams.Beacon.EVENTS) : root;
        List<JsonNode> list = new ArrayList<>();
        if (events != null && events.isArray()) {
            events.forEach(list::add);
        } else if (events != null && events.isObject()) {
            list.add(events);
        } else {
            throw new IllegalArgumentException("body must be a JSON event, an array of events or {\"events\": [...]}");
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no events in the body");
        }
        if (list.size() > settings.maxBatchEvents()) {
            throw new Limits.TooLarge("a batch holds at most " + settings.maxBatchEvents() + " events");
        }
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader(), drops);
        long time = clock.hitTime(ex);
        List<Hit> hits = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            try {
                hits.add(withIdentity(hit(list.get(i), pixelId, facts, time, drops), list.get(i), drops));
            } catch (Limits.TooLarge e) {
                throw new Limits.TooLarge("event " + i + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event " + i + ": " + e.getMessage());
            }
        }
        return hits;
    }

    /** Required: type, and for an event or goal its name (and a goal's value, when sent); the rest is dropped when bad. */
    private Hit hit(JsonNode e, String pixelId, RequestFacts facts, long time, FieldDrops drops) {
        if (!e.isObject()) {
            throw new IllegalArgumentException("an event must be a JSON object");
        }
        HitKind kind = HitFields.kind(text(e, HitParams.Beacon.TYPE));
        String lang = HitFields.language(optional(e, HitParams.Beacon.LANGUAGE, drops), drops);
        java.math.BigDecimal v = value(kind, e.get(HitParams.Beacon.VALUE), drops);
        String name = HitFields.name(kind, text(e, HitParams.Beacon.NAME));
        Hit.Page page = new Hit.Page(
                HitFields.url(optional(e, HitParams.Beacon.URL, drops), HitFields.Field.URL, drops),
                HitFields.referrer(optional(e, HitParams.Beacon.REFERRER, drops), drops),
                Limits.bounded(optional(e, HitParams.Beacon.TITLE, drops), CollectSettings.MAX_TITLE, "title"));
        Hit.Client client = facts.client(lang, HitFields.screen(optional(e, HitParams.Beacon.SCREEN, drops), drops),
                HitFields.zone(optional(e, HitParams.Beacon.TIME_ZONE, drops), drops));
        Hit.Value amount = new Hit.Value(v, HitFields.currency(kind, v, optional(e, HitParams.Beacon.CURRENCY, drops), drops));
        String consent = HitFields.consent(optional(e, HitParams.Beacon.CONSENT, drops), drops);
        String firstPartyId = HitFields.firstPartyId(optional(e, HitParams.Beacon.FIRST_PARTY_ID, drops), drops);
        Hit hit = Hit.of(time, kind, pixelId).name(name).page(page).client(client).value(amount)
                .props(props(e.get(HitParams.Beacon.PROPS), drops))
                .signals(ConsentDecision.signals(consent, firstPartyId))
                .build();
        JsonNode webdriver = e.get(HitParams.Beacon.WEBDRIVER);
        // the tag saw navigator.webdriver; anything but 1 is ignored
        return webdriver != null && webdriver.asInt(0) == 1 ? hit.withSignal(dev.speck.hit.Signals.WEBDRIVER, "1") : hit;
    }

    /** A value that is no number is refused on a goal (it is what the goal counts), else dropped. */
    private static java.math.BigDecimal value(HitKind kind, JsonNode value, FieldDrops drops) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            if (kind == HitKind.GOAL) {
                throw new IllegalArgumentException("value must be a number");
            }
            return drops.drop(HitFields.Field.VALUE, FieldDrops.Reason.WRONG_TYPE);
        }
        return HitFields.value(kind, value.decimalValue(), drops);
    }

    /**
     * The identity a page claimed with {@code speck('identify', id, signature)}, as {"identity": {"id", "sig"}}.
     * Only recorded here: the loader checks the signature, off the event loop.
     */
    private static Hit withIdentity(Hit hit, JsonNode e, FieldDrops drops) {
        JsonNode who = e.get(HitParams.Beacon.IDENTITY);
        if (who == null || who.isNull()) {
            return hit;
        }
        if (!who.isObject()) {
            drops.drop(HitFields.Field.IDENTITY, FieldDrops.Reason.WRONG_TYPE);
            return hit;
        }
        return HitFields.withIdentity(hit, optional(who, HitParams.Beacon.IDENTITY_ID, HitFields.Field.IDENTITY, drops),
                optional(who, HitParams.Beacon.IDENTITY_SIGNATURE, HitFields.Field.IDENTITY, drops));
    }

    /** An optional string field: one of another JSON type is dropped. */
    private static String optional(JsonNode e, String field, FieldDrops drops) {
        return optional(e, field, field, drops);
    }

    private static String optional(JsonNode e, String field, String counted, FieldDrops drops) {
        JsonNode n = e.get(field);
        if (n != null && !n.isNull() && !n.isTextual()) {
            return drops.drop(counted, FieldDrops.Reason.WRONG_TYPE);
        }
        if (n != null && !Utf8.isWellFormed(n.textValue())) {
            return drops.drop(counted, FieldDrops.Reason.NOT_UTF8);
        }
        return text(e, field);
    }

    private static String text(JsonNode e, String field) {
        JsonNode n = e.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        if (!Utf8.isWellFormed(n.textValue())) {
            throw new IllegalArgumentException(field + " is not valid UTF-8");
        }
        return n.textValue();
    }

    /** Custom properties: optional, so a props that is no object, or a property that is no scalar, is dropped. */
    private Map<String, String> props(JsonNode node, FieldDrops drops) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            return drops.drop(HitFields.Field.PROPS, FieldDrops.Reason.WRONG_TYPE);
        }
        if (node.size() > settings.maxProps()) {
            throw new Limits.TooLarge("more than " + settings.maxProps() + " properties");
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String key = Limits.bounded(p.getKey(), CollectSettings.MAX_PROP_KEY, "property name");
            JsonNode v = p.getValue();
            if (key == null) {
                drops.drop(HitFields.Field.PROPS, FieldDrops.Reason.MALFORMED);
                continue;
            }
            if (!v.isValueNode()) {
                drops.drop(HitFields.Field.PROPS, FieldDrops.Reason.WRONG_TYPE);
                continue;
            }
            if (!Utf8.isWellFormed(key) || !Utf8.isWellFormed(v.asText())) {
                drops.drop(HitFields.Field.PROPS, FieldDrops.Reason.NOT_UTF8); // that property only
                continue;
            }
            props.put(key, v.isNull() ? null : Limits.bounded(v.asText(), CollectSettings.MAX_PROP_VALUE, "property " + key));
        }
        return props;
    }
}
