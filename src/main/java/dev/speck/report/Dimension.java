package dev.speck.report;

import java.util.Locale;

/**
 * What a report can be filtered and broken down by. Each describes the visitor, not a single
 * event: its first non-empty value among the visitor's events in the range (landing_page: the path
 * of the first page view), so each visitor falls in exactly one row of a breakdown.
 */
public enum Dimension {
    CHANNEL, SOURCE, UTM_CAMPAIGN, UTM_MEDIUM, LANDING_PAGE, COUNTRY, DEVICE_CLASS, BROWSER, OS;

    /** The label of visitors without a value, in rows and in filters. */
    public static final String NONE = "(none)";

    /** Whether the dimension comes from the geo database (whose licence may ask for credit). */
    public boolean isGeodata() {
        return this == COUNTRY;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dimension fromWireName(String s) {
        for (Dimension d : values()) {
            if (d.wireName().equals(s)) {
                return d;
            }
        }
        return null;
    }
}
