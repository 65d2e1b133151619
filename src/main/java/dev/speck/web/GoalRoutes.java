package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.http.Exchange;
import dev.speck.goals.Goal;
import dev.speck.goals.GoalDraft;
import dev.speck.goals.GoalJson;
import dev.speck.goals.GoalRegistry;
import dev.speck.pixels.Pixel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/** /api/pixels/{id}/goals and /api/pixels/{id}/goals/{goalId}. */
final class GoalRoutes implements PixelRoutes {

    private final GoalRegistry goals;

    GoalRoutes(GoalRegistry goals) {
        this.goals = goals;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, Exchange ex, Pixel pixel, String[] parts, HttpMethod m) {
        if (parts.length < 3 || !parts[2].equals("goals") || parts.length > 4) {
            return false;
        }
        if (parts.length == 3) {
            if (m == HttpMethod.GET) {
                ApiIo.json(ctx, ex, HttpResponseStatus.OK, goals.goals(pixel.id()).stream().map(GoalJson::describe).toList());
            } else if (m == HttpMethod.POST) {
                GoalDraft d = draft(ApiIo.body(ex));
                try {
                    ApiIo.json(ctx, ex, HttpResponseStatus.CREATED, GoalJson.describe(goals.create(pixel.id(), d)));
                } catch (IllegalStateException e) {
                    throw new ApiRoutes.BadRequest(HttpResponseStatus.CONFLICT, e.getMessage());
                }
            } else {
                throw ApiRoutes.BadRequest.method();
            }
            return true;
        }
        Goal goal = goals.goal(pixel.id(), parts[3]);
        if (goal == null) {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND, "this pixel has no goal '" + ApiRoutes.truncate(parts[3]) + "'");
        }
        if (m == HttpMethod.GET) {
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, GoalJson.describe(goal));
        } else if (m == HttpMethod.PUT) {
            JsonNode body = ApiIo.body(ex);
            // the version the editor started from, when it sends one: a goal whose meaning changed meanwhile is not overwritten
            if (body.hasNonNull("version") && body.get("version").asInt() != goal.version()) {
                throw new ApiRoutes.BadRequest(HttpResponseStatus.CONFLICT, "this goal was changed meanwhile: it is at version "
                        + goal.version() + ", not " + body.get("version").asInt());
            }
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, GoalJson.describe(goals.update(goal, draft(body))));
        } else if (m == HttpMethod.DELETE) {
            goals.delete(goal);
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, Map.of("deleted", goal.id()));
        } else {
            throw ApiRoutes.BadRequest.method();
        }
        return true;
    }

    private static GoalDraft draft(JsonNode body) {
        try {
            return GoalJson.draft(body);
        } catch (IllegalArgumentException e) {
            throw new ApiRoutes.BadRequest(e.getMessage());
        }
    }
}
