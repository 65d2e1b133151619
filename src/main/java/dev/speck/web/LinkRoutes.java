package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.TrackedLink;
import dev.speck.pixels.TrackedLinks;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** /api/links: tracked links of a pixel, and a recipient's signed URL of one. */
final class LinkRoutes {

    private final PixelRegistry pixels;
    private final TrackedLinks links;

    LinkRoutes(PixelRegistry pixels, TrackedLinks links) {
        this.pixels = pixels;
        this.links = links;
    }

    /** GET /api/links[?pixel=]: the links the caller may see. */
    Answer list(Call call) {
        String pixel = call.query("pixel");
        String base = ServerInfo.baseUrl(call.exchange());
        return Answer.ok(pixels.links().stream()
                .filter(l -> pixel == null || l.pixel().equals(pixel))
                .filter(l -> call.actor().canView(l.pixel())).map(l -> describe(l, base)).toList());
    }

    Answer create(Call call) {
        JsonNode body = ApiJson.body(call.exchange());
        String pixel = Params.requiredText(body, "pixel", 64);
        if (pixels.pixel(pixel) == null) {
            throw new BadRequest("unknown pixel '" + ApiJson.truncate(pixel) + "'");
        }
        String destination = Params.requiredText(body, "destination", 2048);
        Map<String, String> utm = new HashMap<>();
        JsonNode given = body.get("utm");
        if (given != null && given.isObject()) {
            for (String key : TrackedLinks.UTM_KEYS) {
                if (given.hasNonNull(key)) {
                    utm.put(key, given.get(key).asText());
                }
            }
        }
        try {
            TrackedLink link = links.create(pixel, destination, utm);
            return Answer.json(HttpResponseStatus.CREATED, describe(link, ServerInfo.baseUrl(call.exchange())));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    /** POST /api/links/{link}/sign: the link's URL for one recipient of an email. */
    Answer sign(Call call) {
        TrackedLink link = pixels.link(call.param("link"));
        if (link == null) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "unknown link '" + ApiJson.truncate(call.param("link")) + "'");
        }
        String recipient = Params.requiredText(ApiJson.body(call.exchange()), "recipient", 256);
        return Answer.ok(Map.of("url", links.signedUrl(ServerInfo.baseUrl(call.exchange()), link, recipient)));
    }

    private static Map<String, Object> describe(TrackedLink l, String base) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", l.code());
        out.put("pixel", l.pixel());
        out.put("url", TrackedLinks.url(base, l));
        out.put("destination", l.destination());
        out.put("campaign", l.campaign());
        out.put("created", l.created().toString());
        return out;
    }
}
