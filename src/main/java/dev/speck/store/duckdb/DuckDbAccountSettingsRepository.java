package dev.speck.store.duckdb;

import dev.speck.privacy.AccountSettings;
import dev.speck.privacy.AccountSettingsRepository;
import dev.speck.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The account settings row (id 1) in the embedded store. */
public final class DuckDbAccountSettingsRepository implements AccountSettingsRepository {

    private final DuckDbDatabase database;

    public DuckDbAccountSettingsRepository(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public Optional<AccountSettings> load() {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT pixels_enabled, keep_raw_ip, raw_ip_retention_days FROM account_settings WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new AccountSettings(rs.getBoolean(1), rs.getBoolean(2), rs.getInt(3)))
                    : Optional.empty();
        } catch (SQLException e) {
            throw new StoreException("cannot load the account settings: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(AccountSettings s) {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO account_settings "
                     + "(id, pixels_enabled, keep_raw_ip, raw_ip_retention_days, updated) VALUES (1, ?, ?, ?, ?)")) {
            ps.setBoolean(1, s.pixelsEnabled());
            ps.setBoolean(2, s.keepRawIp());
            ps.setInt(3, s.rawIpRetentionDays());
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot save the account settings: " + e.getMessage(), e);
        }
    }
}
