package dev.speck.privacy;

import java.time.Instant;
import java.time.LocalDate;

/**
 * How long what Speck records is kept: each pixel's events (whole UTC days, see
 * {@link VisitorPrivacy#retentionDays()}) and the account's raw client addresses. The decision
 * only; the store carries it out in its own SQL.
 */
public final class RetentionPolicy {

    private RetentionPolicy() {
    }

    /** The first UTC day whose rows a pixel keeps as of {@code today}, or null when it keeps them forever. */
    public static LocalDate firstKeptDay(VisitorPrivacy privacy, LocalDate today) {
        int days = privacy.retentionDays();
        return days == 0 ? null : today.minusDays(days);
    }

    /**
     * Raw client addresses recorded before this instant are cleared; null when every one of them
     * is, whatever its age (keeping raw addresses is off).
     */
    public static Instant rawIpsClearedBefore(AccountSettings settings, Instant now) {
        return settings.keepRawIp() ? now.minusSeconds(settings.rawIpRetentionDays() * 86_400L) : null;
    }
}
