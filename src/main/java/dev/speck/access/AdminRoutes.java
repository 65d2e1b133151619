package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.audit.AuditLog;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What admins manage: users, API keys, and the audit log to read. The guard has checked the caller is one. */
public final class AdminRoutes {

    private static final int MAX_KEYS_PIXELS = 100;
    private static final int MAX_AUDIT_PAGE = 500;

    private final Users users;
    private final Sessions sessions;
    private final ApiKeys keys;
    private final AuditLog audit;
    private final Predicate<String> pixelExists;

    AdminRoutes(Users users, Sessions sessions, ApiKeys keys, AuditLog audit, Predicate<String> pixelExists) {
        this.users = users;
        this.sessions = sessions;
        this.keys = keys;
        this.audit = audit;
        this.pixelExists = pixelExists;
    }

    /** GET /api/users */
    public Answer listUsers(Call call) {
        return answer(HttpResponseStatus.OK, users.list().stream().map(AdminRoutes::describe).toList());
    }

    private static Map<String, Object> describe(User u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", u.name());
        out.put("role", u.role().wireName());
        out.put("created", u.created().toString());
        return out;
    }

    /** POST /api/users */
    public Answer createUser(Call call) {
        JsonNode body = ApiJson.body(call.exchange());
        String name = ApiJson.text(body, "name", 64);
        Role role = role(body);
        String password = ApiJson.text(body, "password", Users.MAX_PASSWORD);
        User user;
        try {
            user = users.create(name, role, password);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        } catch (Users.Conflict e) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        audit.record(call.requester(), "user.create", name, Map.of("role", role.wireName()));
        return answer(HttpResponseStatus.CREATED, describe(user));
    }

    /** PATCH /api/users/{name}: a new role or a reset password. */
    public Answer updateUser(Call call) {
        String name = call.param("name");
        User user = existing(name);
        JsonNode body = ApiJson.body(call.exchange());
        Map<String, Object> changed = new LinkedHashMap<>();
        try {
            if (body.has("role")) {
                Role role = role(body);
                users.setRole(user.name(), role);
                changed.put("role", role.wireName());
            }
            if (body.has("password")) {
                String password = ApiJson.text(body, "password", Users.MAX_PASSWORD);
                try {
                    users.setPassword(user.name(), password);
                } catch (IllegalArgumentException e) {
                    throw new BadRequest(e.getMessage());
                }
                sessions.closeAllOf(user.name()); // a reset password ends what the old one opened
                changed.put("passwordReset", true);
            }
        } catch (Users.Conflict e) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        if (changed.isEmpty()) {
            throw new BadRequest("give a role or a password to change");
        }
        audit.record(call.requester(), "user.update", user.name(), changed);
        return answer(HttpResponseStatus.OK, describe(existing(name)));
    }

    /** DELETE /api/users/{name} */
    public Answer deleteUser(Call call) {
        User user = existing(call.param("name"));
        try {
            users.delete(user.name());
        } catch (Users.Conflict e) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        audit.record(call.requester(), "user.delete", user.name(), Map.of("role", user.role().wireName()));
        return answer(HttpResponseStatus.OK, Map.of("deleted", user.name()));
    }

    private User existing(String name) {
        return users.user(name).orElseThrow(() -> new BadRequest(HttpResponseStatus.NOT_FOUND, "no such user"));
    }

    /** GET /api/keys */
    public Answer listKeys(Call call) {
        return answer(HttpResponseStatus.OK, keys.list().stream().map(AdminRoutes::describe).toList());
    }

    private static Map<String, Object> describe(ApiKey k) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", k.id());
        out.put("name", k.name());
        out.put("scope", k.scope().wireName());
        out.put("pixels", k.allPixels() ? "all" : k.pixels());
        out.put("created", k.created().toString());
        out.put("createdBy", k.createdBy());
        out.put("lastUsed", k.lastUsed() == null ? null : k.lastUsed().toString());
        return out;
    }

    /** POST /api/keys: the secret is shown this once. */
    public Answer createKey(Call call) {
        JsonNode body = ApiJson.body(call.exchange());
        String name = ApiJson.text(body, "name", 100);
        KeyScope scope;
        try {
            scope = KeyScope.parse(body.path("scope").asText(""));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        List<String> pixels = new ArrayList<>();
        JsonNode list = body.get("pixels");
        if (list != null && !list.isNull() && !(list.isTextual() && list.asText().equals("all"))) {
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_KEYS_PIXELS) {
                throw new BadRequest("pixels must be \"all\" or an array of 1 to " + MAX_KEYS_PIXELS + " pixel ids");
            }
            for (JsonNode p : list) {
                if (!p.isTextual() || !pixelExists.test(p.asText())) {
                    throw new BadRequest("unknown pixel " + ApiJson.truncate(p.toString()));
                }
                if (!pixels.contains(p.asText())) {
                    pixels.add(p.asText());
                }
            }
        }
        ApiKeys.Created created = keys.create(name, scope, pixels, call.actor().name());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scope", scope.wireName());
        details.put("pixels", pixels.isEmpty() ? "all" : pixels);
        audit.record(call.requester(), "key.create", created.key().id(), details);
        Map<String, Object> out = describe(created.key());
        out.put("secret", created.secret());
        return answer(HttpResponseStatus.CREATED, out);
    }

    /** DELETE /api/keys/{id} */
    public Answer revokeKey(Call call) {
        String id = call.param("id");
        if (!keys.revoke(id)) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "no such API key");
        }
        audit.record(call.requester(), "key.revoke", id, Map.of());
        return answer(HttpResponseStatus.OK, Map.of("revoked", id));
    }

    /** GET /api/audit: newest first, a page at a time. */
    public Answer auditPage(Call call) {
        int limit = integer(call.query("limit"), 100, 1, MAX_AUDIT_PAGE, "limit");
        String beforeText = call.query("before");
        Long before = beforeText == null ? null
                : (long) integer(beforeText, 0, 0, Integer.MAX_VALUE, "before");
        List<AuditLog.Entry> entries = audit.newest(before, limit);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AuditLog.Entry e : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq", e.seq());
            row.put("time", e.time().toString());
            row.put("actorKind", e.actorKind());
            row.put("actor", e.actor());
            row.put("action", e.action());
            row.put("target", e.target());
            row.put("details", details(e.details()));
            row.put("client", e.client());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", rows);
        if (entries.size() == limit) {
            out.put("next", "/api/audit?limit=" + limit + "&before=" + entries.get(entries.size() - 1).seq());
        }
        return answer(HttpResponseStatus.OK, out);
    }

    private static JsonNode details(String json) {
        try {
            return ApiJson.MAPPER.readTree(json);
        } catch (IOException e) {
            return ApiJson.MAPPER.createObjectNode();
        }
    }

    private static Role role(JsonNode body) {
        try {
            return Role.parse(body.path("role").asText(""));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    /** Access's own answers are never cached. */
    private static Answer answer(HttpResponseStatus status, Object body) {
        return Answer.noStore(status, body, null);
    }

    private static int integer(String s, int dflt, int min, int max, String name) {
        if (s == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(s);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw new BadRequest(name + " must be an integer from " + min + " to " + max);
    }
}
