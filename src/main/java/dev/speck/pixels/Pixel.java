package dev.speck.pixels;

import dev.speck.privacy.VisitorPrivacy;

import java.time.Instant;
import java.util.List;

/**
 * A tracking pixel as its owner configured it. Its goals are kept apart (see goals.GoalRegistry).
 *
 * @param allowedOrigins the site origins (scheme://host[:port]) whose pages may send beacons; empty = any
 * @param privacy        how its visitors are identified, asked for consent and how long their events stay
 */
public record Pixel(String id, String name, boolean enabled, List<String> allowedOrigins, Instant created,
                    VisitorPrivacy privacy) {

    public Pixel {
        allowedOrigins = List.copyOf(allowedOrigins);
        privacy = privacy == null ? VisitorPrivacy.DEFAULTS : privacy;
    }

    /** A pixel with the default visitor privacy. */
    public Pixel(String id, String name, boolean enabled, List<String> allowedOrigins, Instant created) {
        this(id, name, enabled, allowedOrigins, created, VisitorPrivacy.DEFAULTS);
    }

    public boolean allowsOrigin(String origin) {
        return allowedOrigins.isEmpty() || (origin != null && allowedOrigins.contains(origin));
    }
}
