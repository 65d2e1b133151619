package dev.speck.access;

import java.util.Locale;

/** What a signed-in user may do; each role may do everything the ones below it may. */
public enum Role {
    /** reads reports of every pixel */
    VIEWER,
    /** also edits pixels, goals, links and customers */
    EDITOR,
    /** also settings, users, API keys, the audit log and erasure */
    ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The role a wire name stands for; IllegalArgumentException names the valid values. */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of viewer, editor, admin");
    }
}
