package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.goals.Goal;
import dev.speck.goals.GoalDraft;
import dev.speck.goals.GoalJson;
import dev.speck.goals.GoalRegistry;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.pixels.Pixel;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/** /api/pixels/{id}/goals and /api/pixels/{id}/goals/{goalId}. */
final class GoalRoutes {

    private final GoalRegistry goals;

    GoalRoutes(GoalRegistry goals) {
        this.goals = goals;
    }

    Answer list(Call call, Pixel pixel) {
        return Answer.ok(goals.goals(pixel.id()).stream().map(GoalJson::describe).toList());
    }

    Answer create(Call call, Pixel pixel) {
        GoalDraft d = draft(ApiJson.body(call.exchange()));
        try {
            return Answer.json(HttpResponseStatus.CREATED, GoalJson.describe(goals.create(pixel.id(), d)));
        } catch (IllegalStateException e) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, e.getMessage());
        }
    }

    Answer get(Call call, Pixel pixel) {
        return Answer.ok(GoalJson.describe(goal(call, pixel)));
    }

    Answer update(Call call, Pixel pixel) {
        Goal goal = goal(call, pixel);
        JsonNode body = ApiJson.body(call.exchange());
        // the version the editor started from, when it sends one: a goal whose meaning changed meanwhile is not overwritten
        if (body.hasNonNull("version") && body.get("version").asInt() != goal.version()) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, "this goal was changed meanwhile: it is at version "
                    + goal.version() + ", not " + body.get("version").asInt());
        }
        return Answer.ok(GoalJson.describe(goals.update(goal, draft(body))));
    }

    Answer delete(Call call, Pixel pixel) {
        Goal goal = goal(call, pixel);
        goals.delete(goal);
        return Answer.ok(Map.of("deleted", goal.id()));
    }

    private Goal goal(Call call, Pixel pixel) {
        Goal goal = goals.goal(pixel.id(), call.param("goal"));
        if (goal == null) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "this pixel has no goal '"
                    + ApiJson.truncate(call.param("goal")) + "'");
        }
        return goal;
    }

    private static GoalDraft draft(JsonNode body) {
        try {
            return GoalJson.draft(body);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }
}
