package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.http.Exchange;
import dev.speck.http.Json;
import dev.speck.http.Responses;
import dev.speck.http.WebRoutes;
import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.TrackedLink;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Stands in front of every route that is not a pixel hit: finds the actor, looks the route up in
 * the {@link AccessPolicy}, checks CSRF for session requests that change something, and only then
 * calls the route's handler, with the actor in the {@link Call}, and writes its answer.
 */
public final class AccessGuard implements WebRoutes {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final AccessPolicy policy;
    private final Authenticator authenticator;
    private final PixelRegistry pixels;

    AccessGuard(Authenticator authenticator, AccessPolicy policy, PixelRegistry pixels) {
        this.authenticator = authenticator;
        this.policy = policy;
        this.pixels = pixels;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, Exchange ex) {
        String method = ex.request().method().name();
        String path = ex.path();
        boolean head = method.equals("HEAD");
        AccessPolicy.Match match = policy.match(head ? "GET" : method, path);
        if (match == null) {
            refuseUnknown(ctx, ex, method, path);
            return;
        }
        AccessPolicy.Need need = match.route().need();
        Actor actor = Actor.ANONYMOUS;
        if (need != AccessPolicy.Need.PUBLIC) { // public routes (sign-in too) run as no one: no CSRF to ask
            Authenticator.Result who = authenticator.authenticate(ex);
            if (who.rejected() != null) {
                unauthorized(ctx, ex, who.rejected());
                return;
            }
            actor = who.actor();
        }
        String refusal;
        try {
            refusal = refusal(ex, actor, match);
        } catch (IllegalArgumentException e) { // the query names the pixel, and it does not decode
            Responses.error(ctx, ex, HttpResponseStatus.BAD_REQUEST, "malformed query: " + e.getMessage());
            return;
        }
        if (refusal != null) {
            if (actor instanceof Actor.Anonymous) {
                unauthorized(ctx, ex, "sign in or use an API key");
            } else {
                Responses.error(ctx, ex, HttpResponseStatus.FORBIDDEN, refusal);
            }
            return;
        }
        if (actor instanceof Actor.Member member && !SAFE.contains(ex.request().method())) {
            String csrf = csrfProblem(ex, member);
            if (csrf != null) {
                Responses.error(ctx, ex, HttpResponseStatus.FORBIDDEN, csrf);
                return;
            }
        }
        if (head) {
            // answered as the GET it asks about: Netty's encoder sends a HEAD answer without its body
            ex.request().setMethod(HttpMethod.GET);
        }
        answer(ctx, ex, new Call(ex, actor, match.params()), match.route());
    }

    /** Runs the route; a request it refuses gets the refusal's status and message. */
    private static void answer(ChannelHandlerContext ctx, Exchange ex, Call call, Route route) {
        Answer answer;
        try {
            query(ex);
            answer = route.handler().answer(call);
        } catch (BadRequest refused) {
            answer = refused.answer();
        }
        answer.send(ctx, ex);
    }

    /** A query that does not decode (a bad escape, bytes that are not UTF-8, a NUL) is the client's error. */
    private static void query(Exchange ex) {
        try {
            ex.query();
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the query string is malformed: " + ApiJson.truncate(String.valueOf(e.getMessage())));
        }
    }

    /**
     * No route has this method for the path. When routes know the path under other methods, the answer
     * is 405 with those methods (OPTIONS asks for just that list); this is said before anyone signs in,
     * as it tells no more than openapi.json. A path no route knows stays 403 under /api/, 404 elsewhere.
     */
    private void refuseUnknown(ChannelHandlerContext ctx, Exchange ex, String method, String path) {
        Set<String> methods = policy.methods(path);
        if (!methods.isEmpty()) {
            String allow = String.join(", ", methods) + ", OPTIONS";
            HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, allow);
            if (method.equals("OPTIONS")) {
                Responses.send(ctx, ex, HttpResponseStatus.OK, null, new byte[0], headers);
            } else {
                Responses.send(ctx, ex, HttpResponseStatus.METHOD_NOT_ALLOWED, "application/json; charset=utf-8",
                        ("{\"error\":" + Json.quote(method + " is not allowed on this path; it allows " + allow)
                                + "}").getBytes(StandardCharsets.UTF_8), headers);
            }
            return;
        }
        boolean api = path.startsWith("/api/");
        Responses.error(ctx, ex, api ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.NOT_FOUND,
                api ? "no access rule allows " + method + " on this path" : "no such page");
    }

    /** Null when the actor meets the route's need; otherwise why not. */
    private String refusal(Exchange ex, Actor actor, AccessPolicy.Match match) {
        Route rule = match.route();
        AccessPolicy.Need need = rule.need();
        if (need != AccessPolicy.Need.VIEW_PIXEL && need != AccessPolicy.Need.EDIT_PIXEL) {
            return AccessPolicy.allows(need, actor, null) ? null : "this needs " + describe(need);
        }
        String pixel = switch (rule.pixelFrom()) {
            case PATH -> match.link() != null ? linkPixel(match.link()) : match.pixel();
            case QUERY_OR_ALL -> ex.param("pixel");
            case BODY -> bodyPixel(ex);
        };
        if (pixel == null && rule.pixelFrom() == AccessPolicy.PixelFrom.QUERY_OR_ALL) {
            // a listing of every pixel's items: the route shows only what the actor may see
            return AccessPolicy.allows(AccessPolicy.Need.ANY_CALLER, actor, null) ? null : "sign in";
        }
        return AccessPolicy.allows(need, actor, pixel) ? null
                : "this needs " + describe(need) + (pixel == null ? "" : " for pixel " + ApiJson.truncate(pixel));
    }

    private String linkPixel(String code) {
        TrackedLink link = pixels.link(code);
        return link == null ? null : link.pixel();
    }

    private static String bodyPixel(Exchange ex) {
        try (InputStream in = new ByteBufInputStream(ex.request().content().duplicate())) {
            JsonNode body = ApiJson.MAPPER.readTree(in);
            JsonNode pixel = body == null ? null : body.get("pixel");
            return pixel != null && pixel.isTextual() ? pixel.asText() : null;
        } catch (IOException e) {
            return null; // the route itself answers malformed JSON
        }
    }

    private static String describe(AccessPolicy.Need need) {
        return switch (need) {
            case PUBLIC -> "nothing";
            case ANY_CALLER -> "a signed-in user or an API key";
            case SIGNED_IN -> "a signed-in user (not an API key)";
            case VIEW_PIXEL -> "read access";
            case EDIT_PIXEL -> "the editor role or a write key";
            case VIEW_ACCOUNT -> "the editor role or a key for all pixels";
            case EDIT_ACCOUNT -> "the editor role or a write key for all pixels";
            case ADMIN -> "the admin role";
        };
    }

    /**
     * Session requests that change something must carry the session's CSRF token (a page on another
     * site cannot read it) and, when the browser says where they came from, come from Speck's own pages.
     */
    private static String csrfProblem(Exchange ex, Actor.Member member) {
        if (!Tokens.sameText(ex.header(CSRF_HEADER), member.session().csrfToken())) {
            return "missing or wrong " + CSRF_HEADER + " header (GET /api/session gives the token)";
        }
        return SameOrigin.problem(ex);
    }

    private static void unauthorized(ChannelHandlerContext ctx, Exchange ex, String message) {
        HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"speck\"");
        Responses.send(ctx, ex, HttpResponseStatus.UNAUTHORIZED, "application/json; charset=utf-8",
                ("{\"error\":" + Json.quote(message) + "}").getBytes(StandardCharsets.UTF_8), headers);
    }
}
