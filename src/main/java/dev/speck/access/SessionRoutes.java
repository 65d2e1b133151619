package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.audit.AuditLog;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.http.Exchange;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.core.metrics.Counter;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** Signing in and out, who am I, and changing the own password: the routes under /api/session. */
public final class SessionRoutes {

    private final Users users;
    private final Sessions sessions;
    private final SignInLimiter limiter;
    private final AuditLog audit;
    private final Predicate<Exchange> secure;
    private final Function<Exchange, String> clientAddress;
    private final Counter signIns;

    SessionRoutes(Users users, Sessions sessions, SignInLimiter limiter, AuditLog audit, Predicate<Exchange> secure,
                  Function<Exchange, String> clientAddress, Counter signIns) {
        this.users = users;
        this.sessions = sessions;
        this.limiter = limiter;
        this.audit = audit;
        this.secure = secure;
        this.clientAddress = clientAddress;
        this.signIns = signIns;
    }

    /** GET /api/session: who am I, with the CSRF token the console sends back. */
    public Answer whoAmI(Call call) {
        Actor.Member me = (Actor.Member) call.actor();
        return Answer.noStore(HttpResponseStatus.OK, describe(me.user(), me.session()), null);
    }

    /** DELETE /api/session: signing out. */
    public Answer signOut(Call call) {
        Actor.Member me = (Actor.Member) call.actor();
        sessions.close(me.session());
        audit.record(call.requester(), "session.sign_out", me.name(), Map.of());
        return Answer.noStore(HttpResponseStatus.OK, Map.of("signedOut", true),
                SessionCookie.clear(secure.test(call.exchange())));
    }

    /** POST /api/session: signing in (public: the password is the check). */
    public Answer signIn(Call call) {
        Exchange ex = call.exchange();
        String type = ex.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            // a cross-site form cannot send JSON without a preflight Speck never allows: no login CSRF
            throw new BadRequest(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "sign in with a JSON body (application/json)");
        }
        String problem = SameOrigin.problem(ex);
        if (problem != null) {
            throw new BadRequest(HttpResponseStatus.FORBIDDEN, problem);
        }
        JsonNode body = ApiJson.body(ex);
        String name = ApiJson.text(body, "user", 64);
        String password = ApiJson.text(body, "password", Users.MAX_PASSWORD);
        String address = clientAddress.apply(ex);
        Optional<Duration> wait = limiter.blockedFor(name, address);
        if (wait.isPresent()) {
            signIns.labelValues("throttled").inc();
            audit.record(call.requester(), "session.sign_in_throttled", name, Map.of());
            long seconds = Math.max(1, wait.get().toSeconds() + 1);
            throw new BadRequest(HttpResponseStatus.TOO_MANY_REQUESTS,
                    "too many failed sign-ins; try again in " + seconds + " seconds", seconds);
        }
        Optional<User> user = users.verify(name, password);
        if (user.isEmpty()) {
            limiter.failed(name, address);
            signIns.labelValues("failure").inc();
            audit.record(call.requester(), "session.sign_in_failed", name, Map.of());
            throw new BadRequest(HttpResponseStatus.UNAUTHORIZED, "wrong user name or password");
        }
        limiter.succeeded(name);
        signIns.labelValues("success").inc();
        // whatever session the browser brought is ended: the one after sign-in is always new
        sessions.find(SessionCookie.token(ex)).ifPresent(sessions::close);
        Sessions.Opened opened = sessions.open(user.get().name());
        audit.record(call.as(new Actor.Member(user.get(), opened.session())).requester(), "session.sign_in", name,
                Map.of());
        return Answer.noStore(HttpResponseStatus.OK, describe(user.get(), opened.session()),
                SessionCookie.set(opened.token(), sessions.lifetime(), secure.test(ex)));
    }

    /** PUT /api/session/password: changing the own password, which ends every other session. */
    public Answer changeOwnPassword(Call call) {
        Exchange ex = call.exchange();
        Actor.Member me = (Actor.Member) call.actor();
        JsonNode body = ApiJson.body(ex);
        String current = ApiJson.text(body, "currentPassword", Users.MAX_PASSWORD);
        String next = ApiJson.text(body, "newPassword", Users.MAX_PASSWORD);
        String address = clientAddress.apply(ex);
        if (limiter.blockedFor(me.name(), address).isPresent()) {
            throw new BadRequest(HttpResponseStatus.TOO_MANY_REQUESTS, "too many failed attempts; try again later", 60);
        }
        if (users.verify(me.name(), current).isEmpty()) {
            limiter.failed(me.name(), address);
            throw new BadRequest(HttpResponseStatus.FORBIDDEN, "the current password is wrong");
        }
        setPassword(me.name(), next);
        Sessions.Opened opened = sessions.open(me.name()); // every other session of the user ended
        audit.record(call.requester(), "user.password_change", me.name(), Map.of());
        return Answer.noStore(HttpResponseStatus.OK, describe(me.user(), opened.session()),
                SessionCookie.set(opened.token(), sessions.lifetime(), secure.test(ex)));
    }

    private void setPassword(String name, String password) {
        try {
            users.setPassword(name, password);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
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
}
