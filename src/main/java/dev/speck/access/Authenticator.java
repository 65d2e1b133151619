package dev.speck.access;

import dev.speck.http.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.Optional;

/**
 * Finds who a request acts for: an API key in {@code Authorization: Bearer}, else a session cookie,
 * else no one. A bearer credential that is not a live key is an error, not anonymity, so a
 * script with a revoked key hears about it.
 */
final class Authenticator {

    /** The actor, or {@code rejected}: the request's Authorization header names no live key. */
    record Result(Actor actor, String rejected) {
    }

    private final Sessions sessions;
    private final ApiKeys keys;
    private final Users users;

    Authenticator(Sessions sessions, ApiKeys keys, Users users) {
        this.sessions = sessions;
        this.keys = keys;
        this.users = users;
    }

    Result authenticate(Exchange ex) {
        String authorization = ex.header(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new Result(Actor.ANONYMOUS, "use Authorization: Bearer with an API key");
            }
            Optional<ApiKey> key = keys.find(authorization.substring(7).trim());
            return key.<Result>map(k -> new Result(new Actor.KeyHolder(k), null))
                    .orElseGet(() -> new Result(Actor.ANONYMOUS, "unknown or revoked API key"));
        }
        Optional<Session> session = sessions.find(SessionCookie.token(ex));
        if (session.isEmpty()) {
            return new Result(Actor.ANONYMOUS, null);
        }
        Optional<User> user = users.user(session.get().user());
        return new Result(user.<Actor>map(u -> new Actor.Member(u, session.get())).orElse(Actor.ANONYMOUS), null);
    }
}
