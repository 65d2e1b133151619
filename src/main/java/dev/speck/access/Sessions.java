package dev.speck.access;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Signed-in browsers. A session ends after {@code idle} without use or {@code lifetime} after
 * sign-in, whichever comes first, and at sign-out (deleted server-side, so a copied cookie dies too).
 */
public final class Sessions {

    /** How stale last-seen may get before it is written again: spares a store write per request. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private final AccessRepository repository;
    private final Duration idle;
    private final Duration lifetime;
    private final InstantSource clock;

    public Sessions(AccessRepository repository, Duration idle, Duration lifetime, InstantSource clock) {
        this.repository = repository;
        this.idle = idle;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A new session with its cookie token (never stored) and CSRF token. */
    public record Opened(String token, Session session) {
    }

    /** Always a new random id: a session id known before sign-in is never the one after (no fixation). */
    public Opened open(String user) {
        Instant now = clock.instant();
        repository.deleteExpiredSessions(now.minus(idle), now.minus(lifetime));
        String token = Tokens.random256();
        Session session = new Session(Tokens.sha256(token), user, Tokens.random256(), now, now);
        repository.insertSession(session);
        return new Opened(token, session);
    }

    /** The live session a cookie token stands for; an expired one is deleted and not returned. */
    public Optional<Session> find(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        Optional<Session> found = repository.session(Tokens.sha256(token));
        if (found.isEmpty()) {
            return found;
        }
        Session s = found.get();
        Instant now = clock.instant();
        if (now.isAfter(s.lastSeen().plus(idle)) || now.isAfter(s.created().plus(lifetime))) {
            repository.deleteSession(s.id());
            return Optional.empty();
        }
        if (now.isAfter(s.lastSeen().plus(TOUCH_EVERY))) {
            repository.touchSession(s.id(), now);
        }
        return found;
    }

    public void close(Session session) {
        repository.deleteSession(session.id());
    }

    /** Ends every session of a user (after a password change or reset, or deletion). */
    public void closeAllOf(String user) {
        repository.deleteSessionsOf(user);
    }

    public Duration lifetime() {
        return lifetime;
    }
}
