package dev.speck.privacy;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a pixel treats its visitors: how they are told apart, whether consent is needed, whether
 * Do Not Track is honoured, and how long their events are kept. See docs/PRIVACY.md.
 *
 * @param retentionDays events older than this many days are deleted; 0 keeps them forever
 */
public record VisitorPrivacy(IdentityMode identity, ConsentRule consent, boolean honourDoNotTrack, int retentionDays) {

    public static final int DEFAULT_RETENTION_DAYS = 395;
    public static final int MAX_RETENTION_DAYS = 3650;
    public static final VisitorPrivacy DEFAULTS =
            new VisitorPrivacy(IdentityMode.COOKIELESS, ConsentRule.NOT_REQUIRED, true, DEFAULT_RETENTION_DAYS);

    public VisitorPrivacy {
        if (identity == null || consent == null) {
            throw new IllegalArgumentException("identity and consent are required");
        }
        if (retentionDays < 0 || retentionDays > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("retentionDays must be from 0 (keep forever) to " + MAX_RETENTION_DAYS);
        }
    }

    /** How the visitors of a pixel are told apart. */
    public enum IdentityMode {
        /** A keyed hash of a daily salt, the pixel, IP and user agent: one UTC day, nothing on the device. */
        COOKIELESS,
        /** A random id the JS tag keeps on the site's own domain after consent; cookieless without one. */
        FIRST_PARTY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static IdentityMode fromWireName(String s) {
            return parse(IdentityMode.class, values(), s, "identity");
        }
    }

    /** What a pixel does with a hit that does not carry granted consent. */
    public enum ConsentRule {
        /** Recorded as usual (an explicit denial still makes it anonymous). */
        NOT_REQUIRED,
        /** Not recorded at all. */
        REQUIRED_DROP,
        /** Recorded without any identifier: no visitor id, IP prefix, first-party id or recipient. */
        REQUIRED_ANONYMOUS;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static ConsentRule fromWireName(String s) {
            return parse(ConsentRule.class, values(), s, "consent");
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, E[] values, String s, String field) {
        for (E e : values) {
            if (e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException(field + " '" + (s == null ? "" : s.length() > 40 ? s.substring(0, 40) : s)
                + "' is not valid. Valid values are: " + String.join(", ", Arrays.stream(values)
                .map(v -> v.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()));
    }
}
