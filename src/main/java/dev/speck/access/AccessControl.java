package dev.speck.access;

import dev.speck.audit.AuditLog;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.http.WebRoutes;
import dev.speck.config.ConfigError;
import dev.speck.config.SpeckConfig;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.pixels.PixelRegistry;

import java.io.PrintStream;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Predicate;

/** Builds access control's parts from the configuration: the wiring SpeckApp asks for in one call. */
public final class AccessControl {

    private final Users users;
    private final Sessions sessions;
    private final ApiKeys keys;
    private final SignInLimiter limiter;
    private final AuditLog audit;
    private final ClientAddresses addresses;
    private final SpeckMetrics metrics;
    private Predicate<Exchange> secure;
    private SessionRoutes sessionRoutes;
    private AccessPolicy policy;

    private AccessControl(AccessRepository repository, SpeckConfig.Access config, AuditLog audit,
                          ClientAddresses addresses, SpeckMetrics metrics, InstantSource clock) {
        this.users = new Users(repository);
        this.sessions = new Sessions(repository, config.sessionIdle(), config.sessionLifetime(), clock);
        this.keys = new ApiKeys(repository, clock);
        this.limiter = new SignInLimiter(config.signInLimit(), config.signInWindow(), clock);
        this.audit = audit;
        this.addresses = addresses;
        this.metrics = metrics;
        // Over Speck's own TLS, or HTTPS by the word of a trusted proxy (X-Forwarded-Proto).
        this.secure = Exchange::secure;
    }

    /** Opens access control; a configured admin password is checked now, the admin made by {@link #createFirstAdmin}. */
    public static AccessControl open(AccessRepository repository, SpeckConfig.Access config, AuditLog audit,
                                     ClientAddresses addresses, SpeckMetrics metrics) {
        if (config.adminPassword() != null) {
            try {
                Users.checkPassword(config.adminPassword());
            } catch (IllegalArgumentException e) {
                // the message must not repeat the password it refuses
                throw new ConfigError("access.admin-password", "(not shown)", e.getMessage());
            }
        }
        return new AccessControl(repository, config, audit, addresses, metrics, InstantSource.system());
    }

    /**
     * On first start (no users yet) creates the admin; a generated password goes to {@code out}, once.
     * Called when Speck is serving: a start that fails earlier must not spend the one showing.
     */
    public void createFirstAdmin(String configuredPassword, PrintStream out) {
        users.createFirstAdmin(configuredPassword, out);
    }

    /** How to tell an HTTPS request (for the cookie's Secure flag), when Speck learns more ways than a proxy's word. */
    public AccessControl secureWhen(Predicate<Exchange> secure) {
        this.secure = secure;
        return this;
    }

    /** The guard in front of the route table: no route runs without passing the access policy. */
    public WebRoutes guard(List<Route> routes, PixelRegistry pixels) {
        policy = new AccessPolicy(routes);
        return new AccessGuard(new Authenticator(sessions, keys, users), policy, pixels);
    }

    /** The policy the guard reads (the route table), once {@link #guard} built it; null before. */
    public AccessPolicy policy() {
        return policy;
    }

    /** Signing in and out, and the own password: the handlers of /api/session. */
    public synchronized SessionRoutes sessionRoutes() {
        if (sessionRoutes == null) { // once: the sign-in counter is registered with the metrics once
            sessionRoutes = new SessionRoutes(users, sessions, limiter, audit, ex -> secure.test(ex),
                    ex -> addresses.clientIp(ex.remote(), ex.request().headers()),
                    metrics.counter("speck_sign_ins_total", "Sign-in attempts by outcome (success, failure, throttled)",
                            "outcome"));
        }
        return sessionRoutes;
    }

    /** Users, API keys and the audit log: the admins' handlers. */
    public AdminRoutes adminRoutes(PixelRegistry pixels) {
        return new AdminRoutes(users, sessions, keys, audit, id -> pixels.pixel(id) != null);
    }

    public Users users() {
        return users;
    }

    public ApiKeys keys() {
        return keys;
    }
}
