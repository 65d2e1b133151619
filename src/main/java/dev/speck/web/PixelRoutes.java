package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.audit.AuditTrail;
import dev.speck.goals.GoalDraft;
import dev.speck.goals.GoalJson;
import dev.speck.goals.GoalRegistry;
import dev.speck.goals.PixelSetup;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.http.Exchange;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.privacy.VisitorPrivacy;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** /api/pixels and /api/pixels/{pixel}: listing, creating, reading, changing and deleting pixels. */
final class PixelRoutes {

    private final PixelRegistry pixels;
    private final GoalRegistry goals;
    private final PixelSetup setup;
    private final AuditTrail audit;

    PixelRoutes(PixelRegistry pixels, GoalRegistry goals, PixelSetup setup, AuditTrail audit) {
        this.pixels = pixels;
        this.goals = goals;
        this.setup = setup;
        this.audit = audit;
    }

    /** The pixel the path names; 404 when there is none. */
    Pixel pixel(Call call) {
        String id = call.param("pixel");
        Pixel pixel = pixels.pixel(id);
        if (pixel == null) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "unknown pixel '" + ApiJson.truncate(id) + "'");
        }
        return pixel;
    }

    /** GET /api/pixels: the pixels the caller may see. */
    Answer list(Call call) {
        return Answer.ok(pixels.pixels().stream()
                .filter(p -> call.actor().canView(p.id())).map(p -> describe(p, call.exchange())).toList());
    }

    Answer get(Call call, Pixel pixel) {
        return Answer.ok(describe(pixel, call.exchange()));
    }

    /** POST /api/pixels: a pixel with its privacy and, optionally, its first goals. */
    Answer create(Call call) {
        JsonNode body = ApiJson.body(call.exchange());
        String name = Params.requiredText(body, "name", 200);
        List<String> origins = origins(body.get("allowedOrigins"));
        List<GoalDraft> drafts = goals(body.get("goals"));
        VisitorPrivacy privacy = PixelPrivacyJson.read(body.get("privacy"), VisitorPrivacy.DEFAULTS);
        Pixel pixel = setup.create(name, origins, privacy, drafts);
        return Answer.json(HttpResponseStatus.CREATED, describe(pixel, call.exchange()));
    }

    Answer update(Call call, Pixel p) {
        JsonNode body = ApiJson.body(call.exchange());
        String name = body.has("name") ? Params.requiredText(body, "name", 200) : p.name();
        boolean enabled = body.has("enabled") ? body.get("enabled").asBoolean() : p.enabled();
        List<String> origins = body.has("allowedOrigins") ? origins(body.get("allowedOrigins")) : p.allowedOrigins();
        if (body.has("goals")) {
            throw new BadRequest("goals are edited at /api/pixels/" + p.id() + "/goals");
        }
        VisitorPrivacy privacy = PixelPrivacyJson.read(body.get("privacy"), p.privacy());
        Pixel saved = pixels.save(new Pixel(p.id(), name, enabled, origins, p.created(), privacy));
        return Answer.ok(describe(saved, call.exchange()));
    }

    /** The pixel, its goals and links go; its stored events and achievements stay. */
    Answer delete(Call call, Pixel pixel) {
        setup.delete(pixel);
        audit.record(call.requester(), "pixel.delete", pixel.id(), Map.of()); // before the answer: who reads the log next sees it
        return Answer.ok(Map.of("deleted", pixel.id()));
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
                throw new BadRequest("'" + ApiJson.truncate(s) + "' is not an origin such as https://shop.example.com");
            }
            out.add(s.toLowerCase(Locale.ROOT));
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

    private Map<String, Object> describe(Pixel p, Exchange ex) {
        String base = ServerInfo.baseUrl(ex);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        out.put("name", p.name());
        out.put("enabled", p.enabled());
        out.put("allowedOrigins", p.allowedOrigins());
        out.put("goals", goals.goals(p.id()).stream().map(GoalJson::describe).toList());
        out.put("created", p.created().toString());
        out.put("privacy", PixelPrivacyJson.describe(p.privacy()));
        out.put("snippets", Snippets.forPixel(base, p.id()));
        out.put("optOut", PixelPrivacyJson.optOut(base));
        return out;
    }
}
