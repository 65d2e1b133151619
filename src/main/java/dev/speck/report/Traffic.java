package dev.speck.report;

/**
 * Which hits a report counts, by their traffic-quality verdict: people by default; the others are
 * counted as set apart (see {@link SetApart}) and shown on request.
 */
public enum Traffic {
    HUMAN("human"), NON_HUMAN("non-human"), ALL("all");

    private final String wireName;

    Traffic(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The traffic of a wire name; null when there is none. */
    public static Traffic fromWireName(String s) {
        for (Traffic t : values()) {
            if (t.wireName.equals(s)) {
                return t;
            }
        }
        return null;
    }
}
