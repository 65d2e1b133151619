package dev.speck.hit;

/**
 * Why a hit was answered but deliberately not recorded: the visitor's or the account's choice,
 * not bad input, so it is counted apart from rejections ({@code speck_hits_not_recorded_total}).
 */
public enum NotRecorded {
    /** The browser sent Sec-GPC: 1 (Global Privacy Control). */
    GPC,
    /** The browser sent DNT: 1 and the pixel honours Do Not Track. */
    DNT,
    /** The browser carries Speck's opt-out cookie (set at /privacy/opt-out). */
    OPT_OUT,
    /** The pixel requires consent, drops hits without it, and the hit did not say "granted". */
    NO_CONSENT,
    /** An admin switched pixels off for the whole account. */
    PIXELS_OFF;

    /** The label value in /metrics. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
