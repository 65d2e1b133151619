package dev.speck.web;

import dev.speck.pixels.Pixel;
import dev.speck.privacy.VisitorPrivacy;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a report's unique-visitor counts rest on, stated with every report (docs/PRIVACY.md). */
final class IdentityWindow {

    private IdentityWindow() {
    }

    static Map<String, Object> of(Pixel pixel) {
        Map<String, Object> out = new LinkedHashMap<>();
        VisitorPrivacy.IdentityMode mode = pixel.privacy().identity();
        out.put("mode", mode.wireName());
        out.put("uniqueVisitors", mode == VisitorPrivacy.IdentityMode.FIRST_PARTY
                ? "unique visitors per day, per first-party id (cookieless for hits without one)"
                : "unique visitors per day (cookieless)");
        out.put("anonymousHitsCounted", false);
        return out;
    }

    /** The goals report's visitorIdentity and visitorIdentityNote for this pixel's mode. */
    static void describeReport(Pixel pixel, Map<String, Object> report) {
        report.put("identity", of(pixel));
        if (pixel.privacy().identity() == VisitorPrivacy.IdentityMode.FIRST_PARTY) {
            report.put("visitorIdentity", "first-party-daily");
            report.put("visitorIdentityNote", "Visitors who consented keep a first-party id on the site: coming back "
                    + "on another day they are the same visitor, counted once per day they visit. Hits without that id "
                    + "use cookieless ids that change at midnight UTC; anonymous hits count no visitor.");
        }
    }
}
