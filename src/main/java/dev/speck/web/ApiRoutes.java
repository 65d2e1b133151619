package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.speck.audit.AuditTrail;
import dev.speck.http.Exchange;
import dev.speck.collect.LinkSigner;
import dev.speck.http.Responses;
import dev.speck.http.WebRoutes;
import dev.speck.enrich.GeoAttribution;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.goals.GoalDraft;
import dev.speck.goals.GoalJson;
import dev.speck.goals.GoalRegistry;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.TrackedLink;
import dev.speck.privacy.VisitorPrivacy;
import dev.speck.privacy.AccountSettingsRegistry;
import dev.speck.report.Reports;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The JSON API (see docs/API.md), health and metrics. Runs on the web worker pool, behind
 * access/AccessGuard: a route here runs only after the access policy allowed it.
 */
public final class ApiRoutes implements WebRoutes {

    private static final int MAX_EVENTS_PAGE = 1000;

    private final PixelRegistry pixels;
    private final Reports reports;
    private final LinkSigner signer;
    private final SpeckMetrics metrics;
    private final ConsoleRoutes console = new ConsoleRoutes();
    private final Supplier<Map<String, Object>> health;
    private final Supplier<GeoAttribution> geoAttribution;
    private final ConsoleApi consoleApi;
    private final List<PixelRoutes> pixelRoutes;
    private final CustomerRoutes customers;
    private final SettingsRoutes settings;
    private final AuditTrail audit;
    private final OptOutPage optOut = new OptOutPage();
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public ApiRoutes(PixelRegistry pixels, Reports reports, LinkSigner signer, SpeckMetrics metrics,
                     Supplier<Map<String, Object>> health, ConsoleApi consoleApi) {
        this(pixels, reports, signer, metrics, health, consoleApi, () -> null);
    }

    /** {@code geoAttribution} is the credit the geo database in use asks for, or null; read per response. */
    public ApiRoutes(PixelRegistry pixels, Reports reports, LinkSigner signer, SpeckMetrics metrics,
                     Supplier<Map<String, Object>> health, ConsoleApi consoleApi,
                     Supplier<GeoAttribution> geoAttribution) {
        this(pixels, reports, signer, metrics, health, consoleApi, geoAttribution, null, null, AuditTrail.NONE);
    }

    /**
     * @param customers the customer, visitor and identity routes (null: none)
     * @param account   the account settings behind /api/settings (null: none); changes are recorded in {@code audit}
     */
    public ApiRoutes(PixelRegistry pixels, Reports reports, LinkSigner signer, SpeckMetrics metrics,
                     Supplier<Map<String, Object>> health, ConsoleApi consoleApi,
                     Supplier<GeoAttribution> geoAttribution, CustomerRoutes customers,
                     AccountSettingsRegistry account, AuditTrail audit) {
        this.customers = customers;
        this.settings = account == null ? null : new SettingsRoutes(account, audit);
        this.audit = audit;
        this.consoleApi = consoleApi;
        this.pixelRoutes = consoleApi.routes(reports, geoAttribution);
        this.pixels = pixels;
        this.reports = reports;
        this.signer = signer;
        this.metrics = metrics;
        this.health = health;
        this.geoAttribution = geoAttribution;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, Exchange ex) {
        String path = ex.path();
        HttpMethod m = ex.request().method();
        try {
            query(ex);
            if (path.equals("/healthz")) {
                Map<String, Object> h = health.get();
                send(ctx, ex, "ok".equals(h.get("status")) ? HttpResponseStatus.OK
                        : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
            } else if (path.equals("/metrics")) {
                Responses.send(ctx, ex, HttpResponseStatus.OK, SpeckMetrics.CONTENT_TYPE, metrics.scrape(), null);
            } else if (path.equals("/") || path.isEmpty()) {
                Responses.redirect(ctx, ex, ConsoleRoutes.PREFIX + "/");
            } else if (ConsoleRoutes.handles(path)) {
                console.handle(ctx, ex);
            } else if (path.equals(OptOutPage.PATH)) {
                optOut.handle(ctx, ex);
            } else if (path.equals("/api/settings") && settings != null) {
                send(ctx, ex, HttpResponseStatus.OK, settings.handle(ex, ex.request().method(), this::body));
            } else if (path.startsWith("/api/")) {
                api(ctx, ex, path.substring(5).split("/", -1), m);
            } else {
                Responses.error(ctx, ex, HttpResponseStatus.NOT_FOUND, "no such page: " + truncate(path));
            }
        } catch (BadRequest e) {
            Responses.error(ctx, ex, e.status, e.getMessage());
        }
    }

    /** A query that does not decode (a bad escape, bytes that are not UTF-8, a NUL) is the client's error. */
    private static void query(Exchange ex) {
        try {
            ex.query();
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the query string is malformed: " + truncate(String.valueOf(e.getMessage())));
        }
    }

    private void api(ChannelHandlerContext ctx, Exchange ex, String[] parts, HttpMethod m) {
        String resource = parts[0];
        if (resource.equals("pixels") && parts.length == 1) {
            if (m == HttpMethod.GET) {
                send(ctx, ex, HttpResponseStatus.OK, pixels.pixels().stream()
                        .filter(p -> ex.actor().canView(p.id())).map(p -> describe(p, ex)).toList());
            } else if (m == HttpMethod.POST) {
                send(ctx, ex, HttpResponseStatus.CREATED, describe(createPixel(body(ex)), ex));
            } else {
                throw BadRequest.method();
            }
        } else if (resource.equals("pixels") && parts.length >= 2) {
            Pixel pixel = pixels.pixel(parts[1]);
            if (pixel == null) {
                throw new BadRequest(HttpResponseStatus.NOT_FOUND, "unknown pixel '" + truncate(parts[1]) + "'");
            }
            String sub = parts.length > 2 ? parts[2] : "";
            if (sub.isEmpty() && m == HttpMethod.GET) {
                send(ctx, ex, HttpResponseStatus.OK, describe(pixel, ex));
            } else if (sub.isEmpty() && m == HttpMethod.PATCH) {
                send(ctx, ex, HttpResponseStatus.OK, describe(updatePixel(pixel, body(ex)), ex));
            } else if (sub.equals("stats") && m == HttpMethod.GET) {
                send(ctx, ex, HttpResponseStatus.OK, stats(pixel, ex));
            } else if (sub.equals("events") && m == HttpMethod.GET) {
                send(ctx, ex, HttpResponseStatus.OK, events(pixel, ex));
            } else if (sub.equals("hours") && m == HttpMethod.GET) {
                send(ctx, ex, HttpResponseStatus.OK, hours(pixel, ex));
            } else if (sub.isEmpty() && m == HttpMethod.DELETE) {
                send(ctx, ex, HttpResponseStatus.OK, deletePixel(ex, pixel));
            } else if (routed(ctx, ex, pixel, parts, m)) {
                return; // goals, report, live, health, test: see ConsoleApi
            } else {
                throw new BadRequest(HttpResponseStatus.NOT_FOUND, "no such pixel resource: " + truncate(sub));
            }
        } else if (resource.equals("server") && parts.length == 1 && m == HttpMethod.GET) {
            send(ctx, ex, HttpResponseStatus.OK, ServerInfo.describe(ex, baseUrl(ex)));
        } else if (resource.equals("openapi.json") && parts.length == 1 && m == HttpMethod.GET) {
            Responses.send(ctx, ex, HttpResponseStatus.OK, "application/json; charset=utf-8", OpenApi.document(), null);
        } else if (resource.equals("links") && parts.length == 1) {
            if (m == HttpMethod.POST) {
                send(ctx, ex, HttpResponseStatus.CREATED, describe(createLink(body(ex)), ex));
            } else if (m == HttpMethod.GET) {
                String pixel = ex.param("pixel");
                send(ctx, ex, HttpResponseStatus.OK, pixels.links().stream()
                        .filter(l -> pixel == null || l.pixel().equals(pixel))
                        .filter(l -> ex.actor().canView(l.pixel())).map(l -> describe(l, ex)).toList());
            } else {
                throw BadRequest.method();
            }
        } else if (resource.equals("links") && parts.length == 3 && parts[2].equals("sign") && m == HttpMethod.POST) {
            TrackedLink link = pixels.link(parts[1]);
            if (link == null) {
                throw new BadRequest(HttpResponseStatus.NOT_FOUND, "unknown link '" + truncate(parts[1]) + "'");
            }
            String recipient = requiredText(body(ex), "recipient", 256);
            String url = baseUrl(ex) + "/l/" + link.code() + "?rcpt=" + enc(recipient) + "&sig="
                    + signer.sign(link.code(), recipient);
            send(ctx, ex, HttpResponseStatus.OK, Map.of("url", url));
        } else if (customers != null && customers.handle(ctx, ex, parts, m)) {
            return; // customers, visitors, identity: see CustomerRoutes
        } else {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "no such API resource: " + truncate(resource));
        }
    }

    private boolean routed(ChannelHandlerContext ctx, Exchange ex, Pixel pixel, String[] parts, HttpMethod m) {
        for (PixelRoutes r : pixelRoutes) {
            if (r.handle(ctx, ex, pixel, parts, m)) {
                return true;
            }
        }
        return false;
    }

    /** The pixel, its goals and links go; its stored events and achievements stay. */
    private Map<String, Object> deletePixel(Exchange ex, Pixel pixel) {
        pixels.delete(pixel);
        consoleApi.goals().deletePixel(pixel.id());
        consoleApi.activity().forget(pixel.id());
        audit.record(ex.requester(), "pixel.delete", pixel.id(), Map.of()); // before the answer: who reads the log next sees it
        return Map.of("deleted", pixel.id());
    }

    private Pixel createPixel(JsonNode body) {
        String name = requiredText(body, "name", 200);
        List<String> origins = origins(body.get("allowedOrigins"));
        List<GoalDraft> drafts = goals(body.get("goals"));
        VisitorPrivacy privacy = PixelPrivacyJson.read(body.get("privacy"), VisitorPrivacy.DEFAULTS);
        Pixel created = pixels.createPixel(name, origins);
        Pixel pixel = privacy.equals(created.privacy()) ? created : pixels.save(new Pixel(created.id(), created.name(),
                created.enabled(), created.allowedOrigins(), created.created(), privacy));
        drafts.forEach(d -> consoleApi.goals().create(pixel.id(), d));
        return pixel;
    }

    private Pixel updatePixel(Pixel p, JsonNode body) {
        String name = body.has("name") ? requiredText(body, "name", 200) : p.name();
        boolean enabled = body.has("enabled") ? body.get("enabled").asBoolean() : p.enabled();
        List<String> origins = body.has("allowedOrigins") ? origins(body.get("allowedOrigins")) : p.allowedOrigins();
        if (body.has("goals")) {
            throw new BadRequest("goals are edited at /api/pixels/" + p.id() + "/goals");
        }
        VisitorPrivacy privacy = PixelPrivacyJson.read(body.get("privacy"), p.privacy());
        return pixels.save(new Pixel(p.id(), name, enabled, origins, p.created(), privacy));
    }

    private static List<String> origins(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.size() > 100) {
            throw new BadRequest("allowedOrigins must be an array of at most 100 origins");
        }
        for (JsonNode o : node) {
            String s = o.asText("");
            if (!s.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
                throw new BadRequest("'" + truncate(s) + "' is not an origin such as https://shop.example.com");
            }
            out.add(s.toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    /** Goals given with a new pixel, in the form of POST /api/pixels/{id}/goals; all checked before any is saved. */
    private static List<GoalDraft> goals(JsonNode node) {
        List<GoalDraft> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.size() > GoalRegistry.MAX_GOALS_PER_PIXEL) {
            throw new BadRequest("goals must be an array of at most " + GoalRegistry.MAX_GOALS_PER_PIXEL + " goals");
        }
        for (JsonNode g : node) {
            if (!g.isObject()) {
                throw new BadRequest("each goal must be an object");
            }
            try {
                out.add(GoalJson.draft(g));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(e.getMessage());
            }
        }
        return out;
    }

    private TrackedLink createLink(JsonNode body) {
        String pixelId = requiredText(body, "pixel", 64);
        if (pixels.pixel(pixelId) == null) {
            throw new BadRequest("unknown pixel '" + truncate(pixelId) + "'");
        }
        String destination = requiredText(body, "destination", 2048);
        if (!destination.matches("https?://[^\\s]+")) {
            throw new BadRequest("destination must be an absolute http or https URL");
        }
        JsonNode utm = body.get("utm");
        StringBuilder url = new StringBuilder(destination);
        String campaign = null;
        if (utm != null && utm.isObject()) {
            for (String key : List.of("source", "medium", "campaign", "term", "content")) {
                if (utm.hasNonNull(key)) {
                    String v = utm.get(key).asText();
                    if (v.length() > 200) {
                        throw new BadRequest("utm." + key + " is longer than 200 characters");
                    }
                    url.append(url.indexOf("?") < 0 ? '?' : '&').append("utm_").append(key).append('=').append(enc(v));
                    if (key.equals("campaign")) {
                        campaign = v;
                    }
                }
            }
        }
        return pixels.createLink(pixelId, url.toString(), campaign);
    }

    private Map<String, Object> stats(Pixel pixel, Exchange ex) {
        DateRange range = DateRange.of(ex);
        Map<String, Object> out = range.describe(pixel, "UTC");
        out.put("identity", IdentityWindow.of(pixel));
        out.put("days", reports.daily(pixel.id(), range.from(), range.to()));
        return out;
    }

    /** The days a read covers: 30 days up to {@code to} (today, UTC) unless given; at most ten years. */
    private record DateRange(LocalDate from, LocalDate to) {

        static DateRange of(Exchange ex) {
            LocalDate to = date(ex.param("to"), LocalDate.now(java.time.ZoneOffset.UTC));
            LocalDate from = date(ex.param("from"), to.minusDays(29));
            if (from.isAfter(to) || from.plusDays(3660).isBefore(to)) {
                throw new BadRequest("from must be before to, at most ten years apart");
            }
            return new DateRange(from, to);
        }

        Map<String, Object> describe(Pixel pixel, String timeZone) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pixel", pixel.id());
            out.put("from", from.toString());
            out.put("to", to.toString());
            out.put("timeZone", timeZone);
            return out;
        }
    }

    /** Events and visitors per hour of the visitors' own day: the hours are derived from geodata's time zones. */
    private Map<String, Object> hours(Pixel pixel, Exchange ex) {
        DateRange range = DateRange.of(ex);
        Map<String, Object> out = range.describe(pixel, "visitor");
        out.put("hours", reports.hours(pixel.id(), range.from(), range.to()));
        attribute(out);
        return out;
    }

    /** Adds the credit the geo database's licence asks for to a response that shows geodata. */
    private void attribute(Map<String, Object> response) {
        GeoAttribution attribution = geoAttribution.get();
        if (attribution != null) {
            response.put("attribution", attribution);
        }
    }

    private Map<String, Object> events(Pixel pixel, Exchange ex) {
        int limit = integer(ex.param("limit"), 100, 1, MAX_EVENTS_PAGE, "limit");
        Long before = ex.param("before") == null ? null : (long) integer(ex.param("before"), 0, 0, Integer.MAX_VALUE, "before");
        List<Map<String, Object>> rows = reports.events(pixel.id(), before, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", rows);
        if (rows.size() == limit) {
            out.put("next", "/api/pixels/" + pixel.id() + "/events?limit=" + limit + "&before=" + rows.get(rows.size() - 1).get("seq"));
        }
        attribute(out);
        return out;
    }

    private Map<String, Object> describe(Pixel p, Exchange ex) {
        String base = baseUrl(ex);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        out.put("name", p.name());
        out.put("enabled", p.enabled());
        out.put("allowedOrigins", p.allowedOrigins());
        out.put("goals", consoleApi.goals().goals(p.id()).stream().map(GoalJson::describe).toList());
        out.put("created", p.created().toString());
        out.put("privacy", PixelPrivacyJson.describe(p.privacy()));
        out.put("snippets", Snippets.forPixel(base, p.id()));
        out.put("optOut", PixelPrivacyJson.optOut(base));
        return out;
    }

    private Map<String, Object> describe(TrackedLink l, Exchange ex) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", l.code());
        out.put("pixel", l.pixel());
        out.put("url", baseUrl(ex) + "/l/" + l.code());
        out.put("destination", l.destination());
        out.put("campaign", l.campaign());
        out.put("created", l.created().toString());
        return out;
    }

    /** The address the client used to reach Speck, for the URLs in snippets. */
    static String baseUrl(Exchange ex) {
        String host = ex.header("Host");
        if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
            host = "localhost";
        }
        return (ex.secure() ? "https" : "http") + "://" + host; // X-Forwarded-Proto counts from trusted proxies only
    }

    private JsonNode body(Exchange ex) {
        try (InputStream in = new ByteBufInputStream(ex.request().content().duplicate())) {
            JsonNode node = json.readTree(in);
            if (node == null || !node.isObject()) {
                throw new BadRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequest("the body is not valid JSON: " + truncate(String.valueOf(e.getMessage()).split("\n")[0]));
        }
    }

    private static String requiredText(JsonNode node, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new BadRequest(field + " is required (a string)");
        }
        if (v.asText().length() > max) {
            throw new BadRequest(field + " is longer than " + max + " characters");
        }
        return v.asText().trim();
    }

    private static LocalDate date(String s, LocalDate dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new BadRequest("'" + truncate(s) + "' is not a date such as 2026-11-25");
        }
    }

    static int integer(String s, int dflt, int min, int max, String name) {
        if (s == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(s);
            if (i < min || i > max) {
                throw new BadRequest(name + " must be from " + min + " to " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be an integer");
        }
    }

    private void send(ChannelHandlerContext ctx, Exchange ex, HttpResponseStatus status, Object body) {
        try {
            Responses.send(ctx, ex, status, "application/json; charset=utf-8", json.writeValueAsBytes(body), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /** A request the API refuses, with the status and message the client gets. */
    static final class BadRequest extends RuntimeException {
        final HttpResponseStatus status;

        BadRequest(String message) {
            this(HttpResponseStatus.BAD_REQUEST, message);
        }

        BadRequest(HttpResponseStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        static BadRequest method() {
            return new BadRequest(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed here");
        }
    }
}
