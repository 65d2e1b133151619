package dev.speck.hit;

/** Why a hit was not recorded. Every rejection is counted in /metrics under its reason. */
public enum Rejection {
    UNKNOWN_PIXEL,
    DISABLED_PIXEL,
    MALFORMED_REQUEST,
    TOO_LARGE,
    ORIGIN_NOT_ALLOWED,
    UNKNOWN_LINK,
    BAD_LINK_SIGNATURE,
    JOURNAL_FULL;

    /** The label value in /metrics. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
