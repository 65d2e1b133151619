package dev.speck.access;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every route needs, read from the one route table ({@link Route}: each route says its need
 * where it is declared). The guard looks each request up here before any route runs; a request
 * under /api/ that no route matches is refused (403), so nothing is reachable that the table does
 * not name with its need. First match wins.
 */
public final class AccessPolicy {

    private static final List<String> METHOD_ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

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

    private final List<Route> routes;

    /** @param routes the route table, in the order a request is matched against it (first match wins) */
    public AccessPolicy(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** A route that matched, with the path's named segments (the pixel id or link code among them). */
    public record Match(Route route, Map<String, String> params) {

        /** The pixel id the path named, or null. */
        public String pixel() {
            return params.get("pixel");
        }

        /** The tracked link's code the path named, or null. */
        public String link() {
            return params.get("link");
        }
    }

    public List<Route> routes() {
        return routes;
    }

    /** The first route for this method and raw path, or null: then the request is refused. */
    public Match match(String method, String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] parts = path.substring(1).split("/", -1);
        for (Route route : routes) {
            if (route.method().equals(method)) {
                Match m = match(route, parts);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    /**
     * The methods some route has for this raw path (HEAD with GET, which it stands for), in the order
     * GET, HEAD, POST, PUT, PATCH, DELETE: empty when no route knows the path. What a 405's Allow
     * header lists. Routes that only catch the rest of a prefix ({@code **}) count unless
     * {@code resourcesOnly}.
     */
    public Set<String> methods(String path, boolean resourcesOnly) {
        Set<String> methods = new LinkedHashSet<>();
        if (!path.startsWith("/")) {
            return methods;
        }
        String[] parts = path.substring(1).split("/", -1);
        Set<String> found = new java.util.HashSet<>();
        for (Route route : routes) {
            if (!(resourcesOnly && route.catchAll()) && match(route, parts) != null) {
                found.add(route.method());
            }
        }
        for (String m : METHOD_ORDER) {
            if (found.contains(m) || m.equals("HEAD") && found.contains("GET")) {
                methods.add(m);
            }
        }
        return methods;
    }

    public Set<String> methods(String path) {
        return methods(path, false);
    }

    private static Match match(Route route, String[] parts) {
        String[] pattern = route.segments();
        Map<String, String> params = Map.of();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.equals("**")) {
                return new Match(route, params);
            }
            if (i >= parts.length) {
                return null;
            }
            String part = parts[i];
            if (!p.startsWith("{")) {
                if (!p.equals(part)) {
                    return null;
                }
                continue;
            }
            if (part.isEmpty()) {
                return null; // an empty id segment matches no route
            }
            if (p.length() > 2) {
                if (params.isEmpty()) {
                    params = new HashMap<>(4);
                }
                params.put(p.substring(1, p.length() - 1), part);
            }
        }
        return parts.length == pattern.length ? new Match(route, params) : null;
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
