package dev.speck.pixels;

import java.time.Instant;
import java.util.List;

/**
 * A tracking pixel as its owner configured it. Its goals are kept apart (see goals.GoalRegistry).
 *
 * @param allowedOrigins the site origins (scheme://host[:port]) whose pages may send beacons; empty = any
 */
public record Pixel(String id, String name, boolean enabled, List<String> allowedOrigins, Instant created) {

    public Pixel {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public boolean allowsOrigin(String origin) {
        return allowedOrigins.isEmpty() || (origin != null && allowedOrigins.contains(origin));
    }
}
