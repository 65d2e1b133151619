package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speck.audit.AuditLog;
import dev.speck.http.Exchange;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.core.metrics.Counter;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The routes of access itself (sessions; users, keys and the audit log), with the request reading
 * they share. The guard has already checked the policy (who may call which); these check content.
 */
final class AccessRoutes {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, JSON body, and a Set-Cookie value or null. */
    record Answer(HttpResponseStatus status, Object body, String setCookie) {
        Answer(HttpResponseStatus status, Object body) {
            this(status, body, null);
        }
    }

    private final SessionRoutes sessionRoutes;
    private final AdminRoutes adminRoutes;

    AccessRoutes(Users users, Sessions sessions, ApiKeys keys, SignInLimiter limiter, AuditLog audit,
                 Predicate<Exchange> secure, Function<Exchange, String> clientAddress, Predicate<String> pixelExists,
                 Counter signIns) {
        this.sessionRoutes = new SessionRoutes(users, sessions, limiter, audit, secure, clientAddress, signIns);
        this.adminRoutes = new AdminRoutes(users, sessions, keys, audit, pixelExists);
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
        return parts[0].equals("session") ? sessionRoutes.handle(ex, parts) : adminRoutes.handle(ex, parts);
    }

    static JsonNode body(Exchange ex) {
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

    static String text(JsonNode body, String field, int max) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw Refusal.bad(field + " is required (a string)");
        }
        if (v.asText().length() > max) {
            throw Refusal.bad(field + " is longer than " + max + " characters");
        }
        return v.asText();
    }

    static int integer(String s, int dflt, int min, int max, String name) {
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

    static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
