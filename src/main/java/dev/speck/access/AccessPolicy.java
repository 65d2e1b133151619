package dev.speck.access;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one table that says what every route needs. The guard looks each request up here before any
 * route runs; a request under /api/ that no rule matches is refused (403), so a route added
 * later is closed until someone writes its rule. First match wins.
 *
 * <p>Patterns are path segments: a literal, {@code {pixel}} (a pixel id, checked against the
 * actor), {@code {link}} (a tracked link's code, checked through the pixel it belongs to),
 * {@code {}} (any one segment) or a final {@code **} (any rest, also none).
 */
public final class AccessPolicy {

    /** What a route asks of the actor. */
    public enum Need {
        /** anyone, signed in or not */
        PUBLIC,
        /** a signed-in user of any role, or any API key */
        ANY_CALLER,
        /** a signed-in user of any role (not a key) */
        SIGNED_IN,
        /** read one pixel's data: any user, or a key covering the pixel */
        VIEW_PIXEL,
        /** change one pixel: an editor or admin, or a write key covering the pixel */
        EDIT_PIXEL,
        /** read data across pixels (customers): an editor or admin, or a key for all pixels */
        VIEW_ACCOUNT,
        /** write across pixels (new pixels, customer import): an editor or admin, or a write key for all pixels */
        EDIT_ACCOUNT,
        /** settings, users, keys, the audit log, erasure: an admin, never a key */
        ADMIN
    }

    /** Where the pixel a route touches is named, for VIEW_PIXEL and EDIT_PIXEL. */
    public enum PixelFrom {
        /** the {pixel} or {link} segment of the path */
        PATH,
        /** the query parameter "pixel"; without it the route lists only what the actor may see */
        QUERY_OR_ALL,
        /** the JSON body's "pixel" field */
        BODY
    }

    public record Rule(String method, String pattern, Need need, PixelFrom pixelFrom) {

        Rule(String method, String pattern, Need need) {
            this(method, pattern, need, PixelFrom.PATH);
        }

        String[] segments() {
            return pattern.substring(1).split("/", -1);
        }
    }

    static final List<Rule> RULES = List.of(
            // public: the console's files and sign-in, health, opt-out pages, the API's description
            new Rule("GET", "/", Need.PUBLIC),
            new Rule("GET", "/healthz", Need.PUBLIC),
            new Rule("GET", "/console", Need.PUBLIC),
            new Rule("GET", "/console/**", Need.PUBLIC),
            new Rule("GET", "/privacy/**", Need.PUBLIC),
            new Rule("POST", "/privacy/**", Need.PUBLIC),
            new Rule("GET", "/api/openapi.json", Need.PUBLIC),
            // how the caller's own connection looks (scheme, TLS, proxy): the sign-in page warns with it
            // before a password crosses plain HTTP
            new Rule("GET", "/api/server", Need.PUBLIC),
            new Rule("GET", "/metrics", Need.ANY_CALLER),
            // sessions: signing in checks the password itself
            new Rule("POST", "/api/session", Need.PUBLIC),
            new Rule("GET", "/api/session", Need.SIGNED_IN),
            new Rule("DELETE", "/api/session", Need.SIGNED_IN),
            new Rule("PUT", "/api/session/password", Need.SIGNED_IN),
            // administration
            new Rule("GET", "/api/users", Need.ADMIN),
            new Rule("POST", "/api/users", Need.ADMIN),
            new Rule("PATCH", "/api/users/{}", Need.ADMIN),
            new Rule("DELETE", "/api/users/{}", Need.ADMIN),
            new Rule("GET", "/api/keys", Need.ADMIN),
            new Rule("POST", "/api/keys", Need.ADMIN),
            new Rule("DELETE", "/api/keys/{}", Need.ADMIN),
            new Rule("GET", "/api/audit", Need.ADMIN),
            new Rule("GET", "/api/settings", Need.SIGNED_IN),
            new Rule("PUT", "/api/settings", Need.ADMIN),
            // pixels and everything under one
            new Rule("GET", "/api/pixels", Need.ANY_CALLER),
            new Rule("POST", "/api/pixels", Need.EDIT_ACCOUNT),
            new Rule("GET", "/api/pixels/{pixel}", Need.VIEW_PIXEL),
            new Rule("GET", "/api/pixels/{pixel}/**", Need.VIEW_PIXEL),
            new Rule("PATCH", "/api/pixels/{pixel}", Need.EDIT_PIXEL),
            new Rule("DELETE", "/api/pixels/{pixel}", Need.EDIT_PIXEL),
            new Rule("POST", "/api/pixels/{pixel}/**", Need.EDIT_PIXEL),
            new Rule("PUT", "/api/pixels/{pixel}/**", Need.EDIT_PIXEL),
            new Rule("PATCH", "/api/pixels/{pixel}/**", Need.EDIT_PIXEL),
            new Rule("DELETE", "/api/pixels/{pixel}/**", Need.EDIT_PIXEL),
            // tracked links belong to a pixel
            new Rule("GET", "/api/links", Need.VIEW_PIXEL, PixelFrom.QUERY_OR_ALL),
            new Rule("POST", "/api/links", Need.EDIT_PIXEL, PixelFrom.BODY),
            new Rule("POST", "/api/links/{link}/sign", Need.EDIT_PIXEL),
            // customers and data rights
            new Rule("GET", "/api/customers", Need.VIEW_ACCOUNT),
            new Rule("POST", "/api/customers", Need.EDIT_ACCOUNT),
            new Rule("POST", "/api/customers/import", Need.EDIT_ACCOUNT),
            new Rule("GET", "/api/customers/{}/export", Need.ADMIN),
            new Rule("GET", "/api/customers/{}/events", Need.VIEW_ACCOUNT),
            new Rule("GET", "/api/customers/{}", Need.VIEW_ACCOUNT),
            new Rule("DELETE", "/api/customers/{}", Need.ADMIN),
            new Rule("GET", "/api/visitors/{}/export", Need.ADMIN),
            new Rule("DELETE", "/api/visitors/{}", Need.ADMIN),
            new Rule("POST", "/api/identity/sign", Need.EDIT_ACCOUNT),
            // the secret that signs identities: whoever holds it can claim to be any customer
            new Rule("GET", "/api/identity/secret", Need.ADMIN));

    /** A rule that matched, with the pixel id or link code the path named (or null). */
    public record Match(Rule rule, String pixel, String link) {
    }

    public List<Rule> rules() {
        return RULES;
    }

    /** The first rule for this method and raw path, or null: then the request is refused. */
    public Match match(String method, String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] parts = path.substring(1).split("/", -1);
        for (Rule rule : RULES) {
            if (rule.method().equals(method)) {
                Match m = match(rule, parts);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    /**
     * The methods some rule has for this raw path, in the policy's order (HEAD with GET, which it
     * stands for): empty when no rule knows the path. What a 405's Allow header lists.
     */
    public Set<String> methods(String path) {
        Set<String> methods = new LinkedHashSet<>();
        if (!path.startsWith("/")) {
            return methods;
        }
        String[] parts = path.substring(1).split("/", -1);
        for (Rule rule : RULES) {
            if (match(rule, parts) != null) {
                methods.add(rule.method());
                if (rule.method().equals("GET")) {
                    methods.add("HEAD");
                }
            }
        }
        return methods;
    }

    private static Match match(Rule rule, String[] parts) {
        String[] pattern = rule.segments();
        String pixel = null;
        String link = null;
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.equals("**")) {
                return new Match(rule, pixel, link);
            }
            if (i >= parts.length) {
                return null;
            }
            String part = parts[i];
            switch (p) {
                case "{pixel}" -> pixel = part;
                case "{link}" -> link = part;
                case "{}" -> { }
                default -> {
                    if (!p.equals(part)) {
                        return null;
                    }
                    continue;
                }
            }
            if (part.isEmpty()) {
                return null; // an empty id segment matches no rule
            }
        }
        return parts.length == pattern.length ? new Match(rule, pixel, link) : null;
    }

    /** Whether the actor meets the need, for the pixel concerned (null when none or unknown). */
    public static boolean allows(Need need, Actor actor, String pixel) {
        return switch (need) {
            case PUBLIC -> true;
            case ANY_CALLER -> !(actor instanceof Actor.Anonymous);
            case SIGNED_IN -> actor instanceof Actor.Member;
            case VIEW_PIXEL -> actor.canView(pixel);
            case EDIT_PIXEL -> actor.canEdit(pixel);
            case VIEW_ACCOUNT -> actor.canViewAccount();
            case EDIT_ACCOUNT -> actor.canEditAccount();
            case ADMIN -> actor.isAdmin();
        };
    }
}
