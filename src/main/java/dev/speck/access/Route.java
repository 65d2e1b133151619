package dev.speck.access;

import dev.speck.http.Answer;

/**
 * One route, declared once: its method, path pattern, what it asks of the caller, and what answers
 * it. The {@link AccessPolicy} matches requests against the routes; the guard then calls the handler.
 *
 * <p>Patterns are path segments: a literal, {@code {pixel}} (a pixel id, checked against the
 * actor), {@code {link}} (a tracked link's code, checked through the pixel it belongs to),
 * {@code {}} or {@code {name}} (any one segment; a name lets the handler read it) or a final
 * {@code **} (any rest, also none).
 */
public record Route(String method, String pattern, AccessPolicy.Need need, AccessPolicy.PixelFrom pixelFrom,
                   Handler handler) {

    /** What answers a request that passed the guard. */
    @FunctionalInterface
    public interface Handler {
        Answer answer(Call call);
    }

    public Route(String method, String pattern, AccessPolicy.Need need, Handler handler) {
        this(method, pattern, need, AccessPolicy.PixelFrom.PATH, handler);
    }

    String[] segments() {
        return pattern.substring(1).split("/", -1);
    }

    /** A route for every path under a prefix ({@code **}), rather than one resource. */
    public boolean catchAll() {
        return pattern.endsWith("/**");
    }

    @Override
    public String toString() {
        return method + " " + pattern + " (" + need + ")";
    }
}
