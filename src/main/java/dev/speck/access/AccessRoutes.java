package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.audit.AuditLog;
import dev.speck.collect.Exchange;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.core.metrics.Counter;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The routes of access itself: sign-in and sign-out, users, API keys and the audit log. The guard
 * has already checked the policy (who may call which); these check the request's content.
 */
final class AccessRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_KEYS_PIXELS = 100;
    private static final int MAX_AUDIT_PAGE = 500;

    /** An answer: status, JSON body, and a Set-Cookie value or null. */
    record Answer(HttpResponseStatus status, Object body, String setCookie) {
        Answer(HttpResponseStatus status, Object body) {
            this(status, body, null);
        }
    }

    private final Users users;
    private final Sessions sessions;
    private final ApiKeys keys;
    private final SignInLimiter limiter;
    private final AuditLog audit;
    private final Predicate<Exchange> secure;
    private final Function<Exchange, String> clientAddress;
    private final Predicate<String> pixelExists;
    private final Counter signIns;

    AccessRoutes(Users users, Sessions sessions, ApiKeys keys, SignInLimiter limiter, AuditLog audit,
                 Predicate<Exchange> secure, Function<Exchange, String> clientAddress, Predicate<String> pixelExists,
                 Counter signIns) {
        this.users = users;
        this.sessions = sessions;
        this.keys = keys;
        this.limiter = limiter;
        this.audit = audit;
        this.secure = secure;
        this.clientAddress = clientAddress;
        this.pixelExists = pixelExists;
        this.signIns = signIns;
    }

    static boolean handles(String path) {
        for (String root : List.of("/api/session", "/api/users", "/api/keys", "/api/audit")) {
            if (path.equals(root) || path.startsWith(root + "/")) {
                return true;
            }
        }
        return false;
    }

    Answer handle(Exchange ex) {
        String[] parts = ex.path().substring(5).split("/", -1);
        HttpMethod m = ex.request().method();
        return switch (parts[0]) {
            case "session" -> parts.length == 1 ? session(ex, m) : changeOwnPassword(ex);
            case "users" -> parts.length == 1 ? (m == HttpMethod.GET ? listUsers() : createUser(ex))
                    : m == HttpMethod.PATCH ? updateUser(ex, parts[1]) : deleteUser(ex, parts[1]);
            case "keys" -> parts.length == 1 ? (m == HttpMethod.GET ? listKeys() : createKey(ex))
                    : revokeKey(ex, parts[1]);
            default -> auditPage(ex);
        };
    }

    private Answer session(Exchange ex, HttpMethod m) {
        if (m == HttpMethod.POST) {
            return signIn(ex);
        }
        Actor.Member me = (Actor.Member) ex.actor();
        if (m == HttpMethod.DELETE) {
            sessions.close(me.session());
            audit.record(ex, "session.sign_out", me.name(), Map.of());
            return new Answer(HttpResponseStatus.OK, Map.of("signedOut", true), SessionCookie.clear(secure.test(ex)));
        }
        return new Answer(HttpResponseStatus.OK, describe(me.user(), me.session()));
    }

    private Answer signIn(Exchange ex) {
        String type = ex.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            // a cross-site form cannot send JSON without a preflight Speck never allows: no login CSRF
            throw new Refusal(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "sign in with a JSON body (application/json)");
        }
        String problem = SameOrigin.problem(ex);
        if (problem != null) {
            throw new Refusal(HttpResponseStatus.FORBIDDEN, problem);
        }
        JsonNode body = body(ex);
        String name = text(body, "user", 64);
        String password = text(body, "password", Users.MAX_PASSWORD);
        String address = clientAddress.apply(ex);
        Optional<Duration> wait = limiter.blockedFor(name, address);
        if (wait.isPresent()) {
            signIns.labelValues("throttled").inc();
            audit.record(ex, "session.sign_in_throttled", name, Map.of());
            long seconds = Math.max(1, wait.get().toSeconds() + 1);
            throw new Refusal(HttpResponseStatus.TOO_MANY_REQUESTS,
                    "too many failed sign-ins; try again in " + seconds + " seconds", seconds);
        }
        Optional<User> user = users.verify(name, password);
        if (user.isEmpty()) {
            limiter.failed(name, address);
            signIns.labelValues("failure").inc();
            audit.record(ex, "session.sign_in_failed", name, Map.of());
            throw new Refusal(HttpResponseStatus.UNAUTHORIZED, "wrong user name or password");
        }
        limiter.succeeded(name);
        signIns.labelValues("success").inc();
        // whatever session the browser brought is ended: the one after sign-in is always new
        sessions.find(SessionCookie.token(ex)).ifPresent(sessions::close);
        Sessions.Opened opened = sessions.open(user.get().name());
        ex.actAs(new Actor.Member(user.get(), opened.session()));
        audit.record(ex, "session.sign_in", name, Map.of());
        return new Answer(HttpResponseStatus.OK, describe(user.get(), opened.session()),
                SessionCookie.set(opened.token(), sessions.lifetime(), secure.test(ex)));
    }

    private Answer changeOwnPassword(Exchange ex) {
        Actor.Member me = (Actor.Member) ex.actor();
        JsonNode body = body(ex);
        String current = text(body, "currentPassword", Users.MAX_PASSWORD);
        String next = text(body, "newPassword", Users.MAX_PASSWORD);
        String address = clientAddress.apply(ex);
        if (limiter.blockedFor(me.name(), address).isPresent()) {
            throw new Refusal(HttpResponseStatus.TOO_MANY_REQUESTS, "too many failed attempts; try again later", 60);
        }
        if (users.verify(me.name(), current).isEmpty()) {
            limiter.failed(me.name(), address);
            throw new Refusal(HttpResponseStatus.FORBIDDEN, "the current password is wrong");
        }
        setPassword(me.name(), next);
        Sessions.Opened opened = sessions.open(me.name()); // every other session of the user ended
        audit.record(ex, "user.password_change", me.name(), Map.of());
        return new Answer(HttpResponseStatus.OK, describe(me.user(), opened.session()),
                SessionCookie.set(opened.token(), sessions.lifetime(), secure.test(ex)));
    }

    private void setPassword(String name, String password) {
        try {
            users.setPassword(name, password);
        } catch (IllegalArgumentException e) {
            throw Refusal.bad(e.getMessage());
        }
        sessions.closeAllOf(name);
    }

    private static Map<String, Object> describe(User user, Session session) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user.name());
        out.put("role", user.role().wireName());
        out.put("csrfToken", session.csrfToken());
        return out;
    }

    private Answer listUsers() {
        return new Answer(HttpResponseStatus.OK, users.list().stream().map(AccessRoutes::describe).toList());
    }

    private static Map<String, Object> describe(User u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", u.name());
        out.put("role", u.role().wireName());
        out.put("created", u.created().toString());
        return out;
    }

    private Answer createUser(Exchange ex) {
        JsonNode body = body(ex);
        String name = text(body, "name", 64);
        Role role = role(body);
        String password = text(body, "password", Users.MAX_PASSWORD);
        User user;
        try {
            user = users.create(name, role, password);
        } catch (IllegalArgumentException e) {
            throw Refusal.bad(e.getMessage());
        } catch (Users.Conflict e) {
            throw new Refusal(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        audit.record(ex, "user.create", name, Map.of("role", role.wireName()));
        return new Answer(HttpResponseStatus.CREATED, describe(user));
    }

    private Answer updateUser(Exchange ex, String name) {
        User user = existing(name);
        JsonNode body = body(ex);
        Map<String, Object> changed = new LinkedHashMap<>();
        try {
            if (body.has("role")) {
                Role role = role(body);
                users.setRole(user.name(), role);
                changed.put("role", role.wireName());
            }
            if (body.has("password")) {
                setPassword(user.name(), text(body, "password", Users.MAX_PASSWORD));
                changed.put("passwordReset", true);
            }
        } catch (Users.Conflict e) {
            throw new Refusal(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        if (changed.isEmpty()) {
            throw Refusal.bad("give a role or a password to change");
        }
        audit.record(ex, "user.update", user.name(), changed);
        return new Answer(HttpResponseStatus.OK, describe(existing(name)));
    }

    private Answer deleteUser(Exchange ex, String name) {
        User user = existing(name);
        try {
            users.delete(user.name());
        } catch (Users.Conflict e) {
            throw new Refusal(HttpResponseStatus.CONFLICT, e.getMessage());
        }
        audit.record(ex, "user.delete", user.name(), Map.of("role", user.role().wireName()));
        return new Answer(HttpResponseStatus.OK, Map.of("deleted", user.name()));
    }

    private User existing(String name) {
        return users.user(name).orElseThrow(() -> new Refusal(HttpResponseStatus.NOT_FOUND, "no such user"));
    }

    private Answer listKeys() {
        return new Answer(HttpResponseStatus.OK, keys.list().stream().map(AccessRoutes::describe).toList());
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

    private Answer createKey(Exchange ex) {
        JsonNode body = body(ex);
        String name = text(body, "name", 100);
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
                    throw Refusal.bad("unknown pixel " + truncate(p.toString()));
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
        audit.record(ex, "key.create", created.key().id(), details);
        Map<String, Object> out = describe(created.key());
        out.put("secret", created.secret());
        return new Answer(HttpResponseStatus.CREATED, out);
    }

    private Answer revokeKey(Exchange ex, String id) {
        if (!keys.revoke(id)) {
            throw new Refusal(HttpResponseStatus.NOT_FOUND, "no such API key");
        }
        audit.record(ex, "key.revoke", id, Map.of());
        return new Answer(HttpResponseStatus.OK, Map.of("revoked", id));
    }

    private Answer auditPage(Exchange ex) {
        int limit = integer(ex.param("limit"), 100, 1, MAX_AUDIT_PAGE, "limit");
        String beforeText = ex.param("before");
        Long before = beforeText == null ? null : (long) integer(beforeText, 0, 0, Integer.MAX_VALUE, "before");
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
        return new Answer(HttpResponseStatus.OK, out);
    }

    private static JsonNode details(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static Role role(JsonNode body) {
        try {
            return Role.parse(body.path("role").asText(""));
        } catch (IllegalArgumentException e) {
            throw Refusal.bad(e.getMessage());
        }
    }

    private static JsonNode body(Exchange ex) {
        try (InputStream in = new ByteBufInputStream(ex.request().content().duplicate())) {
            JsonNode node = JSON.readTree(in);
            if (node == null || !node.isObject()) {
                throw Refusal.bad("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw Refusal.bad("the body is not valid JSON");
        }
    }

    private static String text(JsonNode body, String field, int max) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw Refusal.bad(field + " is required (a string)");
        }
        if (v.asText().length() > max) {
            throw Refusal.bad(field + " is longer than " + max + " characters");
        }
        return v.asText();
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
        throw Refusal.bad(name + " must be an integer from " + min + " to " + max);
    }

    private static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
