package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.audit.AuditLog;
import dev.speck.http.Exchange;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What admins manage: users, API keys, and the audit log to read. The guard has checked the caller is one. */
final class AdminRoutes {

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

    AccessRoutes.Answer handle(Exchange ex, String[] parts) {
        HttpMethod m = ex.request().method();
        return switch (parts[0]) {
            case "users" -> parts.length == 1 ? (m == HttpMethod.GET ? listUsers() : createUser(ex))
                    : m == HttpMethod.PATCH ? updateUser(ex, parts[1]) : deleteUser(ex, parts[1]);
            case "keys" -> parts.length == 1 ? (m == HttpMethod.GET ? listKeys() : createKey(ex))
                    : revokeKey(ex, parts[1]);
            default -> auditPage(ex);
        };
    }

    private AccessRoutes.Answer listUsers() {
        return new AccessRoutes.Answer(HttpResponseStatus.OK,
                users.list().stream().map(AdminRoutes::describe).toList());
    }

    private static Map<String, Object> describe(User u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", u.name());
        out.put("role", u.role().wireName());
        out.put("created", u.created().toString());
        return out;
    }

    private AccessRoutes.Answer createUser(Exchange ex) {
        JsonNode body = AccessRoutes.body(ex);
        String name = AccessRoutes.text(body, "name", 64);
        Role role = role(body);
        String password = AccessRoutes.text(body, "password", Users.MAX_PASSWORD);
        User user;
        try {
            user = users.create(name, role, password);
        } catch (IllegalArgumentException e) {
            throw Refusal.bad(e.getMessage());
        } catch (Users.Conflict e) {
            throw new Refusal(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        audit.record(ex.requester(), "user.create", name, Map.of("role", role.wireName()));
        return new AccessRoutes.Answer(HttpResponseStatus.CREATED, describe(user));
    }

    private AccessRoutes.Answer updateUser(Exchange ex, String name) {
        User user = existing(name);
        JsonNode body = AccessRoutes.body(ex);
        Map<String, Object> changed = new LinkedHashMap<>();
        try {
            if (body.has("role")) {
                Role role = role(body);
                users.setRole(user.name(), role);
                changed.put("role", role.wireName());
            }
            if (body.has("password")) {
                String password = AccessRoutes.text(body, "password", Users.MAX_PASSWORD);
                try {
                    users.setPassword(user.name(), password);
                } catch (IllegalArgumentException e) {
                    throw Refusal.bad(e.getMessage());
                }
                sessions.closeAllOf(user.name()); // a reset password ends what the old one opened
                changed.put("passwordReset", true);
            }
        } catch (Users.Conflict e) {
            throw new Refusal(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        if (changed.isEmpty()) {
            throw Refusal.bad("give a role or a password to change");
        }
        audit.record(ex.requester(), "user.update", user.name(), changed);
        return new AccessRoutes.Answer(HttpResponseStatus.OK, describe(existing(name)));
    }

    private AccessRoutes.Answer deleteUser(Exchange ex, String name) {
        User user = existing(name);
        try {
            users.delete(user.name());
        } catch (Users.Conflict e) {
            throw new Refusal(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        audit.record(ex.requester(), "user.delete", user.name(), Map.of("role", user.role().wireName()));
        return new AccessRoutes.Answer(HttpResponseStatus.OK, Map.of("deleted", user.name()));
    }

    private User existing(String name) {
        return users.user(name).orElseThrow(() -> new Refusal(HttpResponseStatus.NOT_FOUND, "no such user"));
    }

    private AccessRoutes.Answer listKeys() {
        return new AccessRoutes.Answer(HttpResponseStatus.OK, keys.list().stream().map(AdminRoutes::describe).toList());
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

    private AccessRoutes.Answer createKey(Exchange ex) {
        JsonNode body = AccessRoutes.body(ex);
        String name = AccessRoutes.text(body, "name", 100);
        KeyScope scope;
        try {
            scope = KeyScope.parse(body.path("scope").asText(""));
        } catch (IllegalArgumentException e) {
            throw Refusal.bad(e.getMessage());
        }
        List<String> pixels = new ArrayList<>();
        JsonNode list = body.get("pixels");
        if (list != null && !list.isNull() && !(list.isTextual() && list.asText().equals("all"))) {
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_KEYS_PIXELS) {
                throw Refusal.bad("pixels must be \"all\" or an array of 1 to " + MAX_KEYS_PIXELS + " pixel ids");
            }
            for (JsonNode p : list) {
                if (!p.isTextual() || !pixelExists.test(p.asText())) {
                    throw Refusal.bad("unknown pixel " + AccessRoutes.truncate(p.toString()));
                }
                if (!pixels.contains(p.asText())) {
                    pixels.add(p.asText());
                }
            }
        }
        ApiKeys.Created created = keys.create(name, scope, pixels, ex.actor().name());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scope", scope.wireName());
        details.put("pixels", pixels.isEmpty() ? "all" : pixels);
        audit.record(ex.requester(), "key.create", created.key().id(), details);
        Map<String, Object> out = describe(created.key());
        out.put("secret", created.secret());
        return new AccessRoutes.Answer(HttpResponseStatus.CREATED, out);
    }

    private AccessRoutes.Answer revokeKey(Exchange ex, String id) {
        if (!keys.revoke(id)) {
            throw new Refusal(HttpResponseStatus.NOT_FOUND, "no such API key");
        }
        audit.record(ex.requester(), "key.revoke", id, Map.of());
        return new AccessRoutes.Answer(HttpResponseStatus.OK, Map.of("revoked", id));
    }

    private AccessRoutes.Answer auditPage(Exchange ex) {
        int limit = AccessRoutes.integer(ex.param("limit"), 100, 1, MAX_AUDIT_PAGE, "limit");
        String beforeText = ex.param("before");
        Long before = beforeText == null ? null
                : (long) AccessRoutes.integer(beforeText, 0, 0, Integer.MAX_VALUE, "before");
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
        return new AccessRoutes.Answer(HttpResponseStatus.OK, out);
    }

    private static JsonNode details(String json) {
        try {
            return AccessRoutes.JSON.readTree(json);
        } catch (IOException e) {
            return AccessRoutes.JSON.createObjectNode();
        }
    }

    private static Role role(JsonNode body) {
        try {
            return Role.parse(body.path("role").asText(""));
        } catch (IllegalArgumentException e) {
            throw Refusal.bad(e.getMessage());
        }
    }
}
