package dev.speck.privacy;

/**
 * Account-wide switches an admin sets at run time (GET/PUT /api/settings), applied without a restart.
 *
 * @param pixelsEnabled      when false, pixel endpoints still answer (GIF, 204, redirect) but record nothing
 * @param keepRawIp          keep the full client address of new events next to the truncated prefix
 * @param rawIpRetentionDays raw addresses are cleared after this many days (and with the event, when its
 *                           pixel's retention is shorter)
 */
public record AccountSettings(boolean pixelsEnabled, boolean keepRawIp, int rawIpRetentionDays) {

    public static final int MAX_RAW_IP_RETENTION_DAYS = 395;
    public static final AccountSettings DEFAULTS = new AccountSettings(true, false, 30);

    public AccountSettings {
        if (rawIpRetentionDays < 1 || rawIpRetentionDays > MAX_RAW_IP_RETENTION_DAYS) {
            throw new IllegalArgumentException("rawIpRetentionDays must be from 1 to " + MAX_RAW_IP_RETENTION_DAYS);
        }
    }
}
