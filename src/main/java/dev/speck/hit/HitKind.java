package dev.speck.hit;

/** What a pixel hit says happened. One event model for every kind of pixel. */
public enum HitKind {
    PAGE_VIEW("page_view"),
    EVENT("event"),
    GOAL("goal"),
    EMAIL_OPEN("email_open"),
    LINK_CLICK("link_click");

    private final String wireName;

    HitKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the API, the store and the JS tag. */
    public String wireName() {
        return wireName;
    }

    public static HitKind fromWireName(String name) {
        for (HitKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
