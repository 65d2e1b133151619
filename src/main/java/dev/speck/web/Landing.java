package dev.speck.web;

import dev.speck.enrich.GeoAttribution;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;

/** The plain-text page at / until the console exists: what is running and where to look. */
final class Landing {

    private Landing() {
    }

    /** {@code attribution}: the geo database's licence credit, shown because events carry its answers; or null. */
    static String text(PixelRegistry pixels, String base, GeoAttribution attribution) {
        StringBuilder out = new StringBuilder("Speck is running.\n\nPixels:\n");
        for (Pixel p : pixels.pixels()) {
            out.append("  ").append(p.name()).append(" (").append(p.id()).append(")\n")
                    .append("    stats:  ").append(base).append("/api/pixels/").append(p.id()).append("/stats\n")
                    .append("    events: ").append(base).append("/api/pixels/").append(p.id()).append("/events\n");
        }
        out.append("\nAPI: ").append(base).append("/api/pixels   health: ").append(base).append("/healthz   metrics: ")
                .append(base).append("/metrics\n");
        if (attribution != null) {
            out.append("\n").append(attribution.text()).append(" (").append(attribution.url()).append(")\n");
        }
        return out.toString();
    }
}
