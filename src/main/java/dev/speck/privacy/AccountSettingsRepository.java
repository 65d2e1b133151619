package dev.speck.privacy;

import java.util.Optional;

/** Where the account settings are kept (the embedded store by default). */
public interface AccountSettingsRepository {

    /** The saved settings, or empty when none were ever saved. */
    Optional<AccountSettings> load();

    void save(AccountSettings settings);
}
